"""Keyword search as a database query: the one seam the matching engine will replace.

Chinese has no spaces, so a user's term is split into overlapping character bigrams
(视觉检测 -> 视觉, 觉检, 检测). A row matches a term when at least two thirds of the
term's bigrams occur in any searched column, which lets 视觉检测 find
机器视觉缺陷检测 (视觉 and 检测 occur, 觉检 does not) while 机器人 still needs both
机器 and 器人. Latin words are matched whole, case-insensitively. Every term must match.

Everything that knows about LIKE lives here: callers pass columns and the raw query and
get back a WHERE clause and a relevance score expression, so a future index-backed
implementation (see `matching/`) can keep the same signature.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

# Bounds the SQL a single query can produce, whatever the user types.
MAX_TERMS = 8
MAX_PATTERNS_PER_TERM = 12

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\s{_CJK}]+")
# Punctuation that separates terms; % and _ are kept (and escaped) so "50%" means 50%.
_SEPARATORS = re.compile(r"[\s,，、;；.。:：!！?？\"'“”‘’()（）\[\]【】/\\|+*&^$#@~`<>《》-]+")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")


@dataclass(frozen=True)
class KeywordTerm:
    """One searchable unit of the query and the substrings that stand for it."""

    text: str
    patterns: tuple[str, ...]

    @property
    def required_matches(self) -> int:
        return max(1, math.ceil(len(self.patterns) * 2 / 3))


@dataclass(frozen=True)
class KeywordMatch:
    where: ColumnElement[bool]
    score: ColumnElement


def _bigrams(run: str) -> tuple[str, ...]:
    if len(run) < 2:
        return (run,)
    grams = tuple(dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1)))
    return grams[:MAX_PATTERNS_PER_TERM]


def parse_terms(query: str) -> list[KeywordTerm]:
    """Split a raw query into terms: CJK runs become bigram sets, other runs stay whole.

    :param query: the text the user typed.
    :returns: at most MAX_TERMS distinct terms, in order of appearance.
    """
    terms: list[KeywordTerm] = []
    seen: set[str] = set()
    for chunk in _SEPARATORS.split(query.strip().lower()):
        for run in _RUN.findall(chunk):
            if run in seen:
                continue
            seen.add(run)
            patterns = _bigrams(run) if _CJK_RUN.match(run) else (run,)
            terms.append(KeywordTerm(run, patterns))
    return terms[:MAX_TERMS]


def _like(column, text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def keyword_filter(query: str, columns: list, title_column) -> KeywordMatch | None:
    """A WHERE clause and a relevance score for `query` over `columns`.

    :param query: the raw query text (already length-checked by the caller).
    :param columns: the text columns to search, e.g. title, summary, body, keywords.
    :param title_column: the column whose matches weigh double in the score.
    :returns: None when the query holds no searchable term (only punctuation or spaces).
    """
    terms = parse_terms(query)
    if not terms:
        return None
    conditions = []
    score_parts = []
    for term in terms:
        hits = []
        for pattern in term.patterns:
            anywhere = sa.or_(*(_like(column, pattern) for column in columns))
            hits.append(sa.case((anywhere, 1), else_=0))
            score_parts.append(sa.case((_like(title_column, pattern), 2), else_=0))
        matched = sum(hits[1:], hits[0])
        conditions.append(matched >= term.required_matches)
        score_parts.extend(hits)
    score = sum(score_parts[1:], score_parts[0])
    return KeywordMatch(where=sa.and_(*conditions), score=score)
