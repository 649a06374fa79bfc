"""Shared terms for explanations: words and phrases found verbatim in both a query and a listing.

The index only knows overlapping character bigrams, so phrases stitched from matched bigrams
can be words neither text contains (目检员 from 目检 + 检员) or cut words apart (户问题并 from
客户问题并 vs 用户问题并, 山市 from 中山市 vs 佛山市). Here a reason term is a substring of
both normalised texts, cut at word boundaries that a small lexicon kept as data tells
(loaded by lexicon.py):

* ``data/terms.txt`` - industrial terms, taxonomy names and common words with function
  characters inside (在线, 可视化); a shared phrase never starts or ends inside one of them;
* ``data/stopwords.txt`` - filler (希望 支持 系统 给出 ...), never shown, split phrases apart;
* ``data/places.txt`` - provinces, cities, districts, towns: never shown, split phrases apart;
* ``data/synonyms.txt`` - its members count as terms too.

No segmenter (jieba adds ~80 MB and ~0.8 s of start-up to every worker): only the common
substrings of the two texts are cut, so the lexicon needs to know the words around them,
not every word of the language. ASCII words and numbers with units are whole tokens that
match only whole ("0.05mm" never meets "1.0"; bare numbers are never terms).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from .lexicon import MAX_WORD, Lexicon, default_lexicon
from .tokenizer import CJK_RANGES, is_cjk, normalize

MAX_PHRASE = 10  # longer shared phrases are shown as their words instead
# Function characters. STRONG ones end a word wherever they stand (的 in 目的 is covered by
# the lexicon); WEAK ones often start or end real words (在线, 外观, 不良, 以太网), so a
# phrase cut at one keeps only what the lexicon vouches for on that side.
STRONG_CHARS = frozenset("某的了和与及并或之于把被而且也都就还很更最已再又才只吗呢吧啊呀嘛么等些其每各该我你他她它您们")
WEAK_CHARS = frozenset("约在对从向由将给靠按到后前中上下里内外时多少以不没做找想要用能会可有无是为让使个台套次一两几")
PLACE_SUFFIXES = tuple("市省县区镇乡村")
UNIT_CHARS = frozenset("米件台套个吨家条片张块次人年月天周万亿元度倍层道处组款类种位名台只箱托")

_UNITS_ASCII = ("mm μm um nm cm km m kg mg g t ms min s h hz khz mhz ghz kwh kw mw w kv v ma a "
                "mpa kpa pa bar ℃ °c % ‰ fps ppm dpi mp pcs").split()
_UNITS_CJK = ("万千瓦时 千瓦时 平方米 立方米 千瓦 万元 亿元 分钟 小时 公斤 千克 毫米 厘米 微米 纳米 公里 "
              "平米 毫秒 摄氏度 秒 分 天 周 月 年 个 台 套 件 片 条 张 块 元 万 亿 吨 克 米 度 人 次 倍 帧 "
              "伏 瓦 安 兆 层 道 处 组 款 类 种").split()
_PER = "件 片 个 台 次 秒 分钟 小时 天 班 h s min pcs".split()


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# One token regex for both texts: a number with its unit (one token, matched whole), or an
# ASCII word (letters/digits glued by . _ + -, as the tokenizer keeps model numbers).
_TOKEN_RE = re.compile(
    r"(?<![0-9a-z.])(?P<num>\d+(?:\.\d+)?多?"
    f"(?:(?:{_alternation(_UNITS_ASCII)})(?![a-z0-9])|(?:{_alternation(_UNITS_CJK)}))"
    f"(?:/(?:{_alternation(_PER)}))?)"
    r"|(?<![a-z0-9])(?P<word>[a-z0-9]+(?:[._+-][a-z0-9]+)*)")
_CJK_RUN_RE = re.compile(f"[{CJK_RANGES}]+")
_HAS_LETTER = re.compile("[a-z]")
_ASCII_EDGE = re.compile("^[a-z0-9]|[a-z0-9]$")


@dataclass(frozen=True)
class QueryText:
    """What explanations need from a query, computed once per query text."""

    text: str                       # normalised
    runs: tuple[tuple[int, str], ...]  # CJK runs: (start, run)
    tokens: frozenset[str]          # ASCII words and numbers with units
    scan_hits: tuple[str, ...]      # lexicon terms of Lexicon.scan_terms present in the text
    cuts: dict = field(default_factory=dict, compare=False)  # query-side work, reused per listing


@lru_cache(maxsize=256)
def query_text(text: str) -> QueryText:
    """Analyse a query for :func:`shared_terms` (cached: every shown result reuses it).

    :param text: the query, raw or normalised.
    :returns: its CJK runs, whole tokens and lexicon hits.
    """
    norm = normalize(text)
    lex = default_lexicon()
    runs = tuple((m.start(), m.group(0)) for m in _CJK_RUN_RE.finditer(norm))
    hits = tuple(t for t in lex.scan_terms if t in norm and _occurs(t, norm))
    return QueryText(norm, runs, frozenset(_tokens(norm)), hits)


def _tokens(text: str) -> set[str]:
    """Numbers with units and ASCII words (never bare numbers) of a normalised text."""
    out = set()
    for m in _TOKEN_RE.finditer(text):
        tok = m.group("num") or m.group("word")
        if m.group("num") or _HAS_LETTER.search(tok):
            out.add(tok)
    return out


def _occurs(term: str, text: str) -> bool:
    """Whether `term` occurs in `text` without an ASCII edge glued to more letters/digits."""
    if not _ASCII_EDGE.search(term):
        return term in text
    pattern = (r"(?<![a-z0-9])" if term[0].isascii() else "") + re.escape(term) \
        + (r"(?![a-z0-9])" if term[-1].isascii() else "")
    return re.search(pattern, text) is not None


def is_shown_term(term: str, lex: Lexicon | None = None) -> bool:
    """Whether a term may be shown at all: not filler, not a place, not a bare number.

    :param term: normalised term.
    :param lex: lexicon (default: the packaged one).
    :returns: True when the term is acceptable as a reason.
    """
    lex = lex or default_lexicon()
    if len(term) < 2 or term in lex.stop or term in lex.places:
        return False
    if not _HAS_LETTER.search(term) and not _CJK_RUN_RE.search(term):
        # digits and punctuation only: a number with a unit has a CJK unit or a letter
        return False
    if term.endswith(PLACE_SUFFIXES) and term not in lex.terms:
        return False
    places = lex.places
    n = len(term)
    return not any(term[i:i + k] in places for k in range(2, min(n, 6) + 1) for i in range(n - k + 1))


@lru_cache(maxsize=65536)
def _shown(term: str) -> bool:
    return is_shown_term(term)


def shared_terms(query: QueryText, listing: str, known: tuple[str, ...] = (),
                 df: Callable[[str], float] | None = None, df_key: object = None) -> list[str]:
    """Terms found verbatim in both the query and a listing, cut at word boundaries.

    :param query: from :func:`query_text`.
    :param listing: the listing's normalised text (title, summary, text, tags, facet names).
    :param known: more terms to look up whole (the listing's tags and facet names).
    :param df: optional document frequency of a CJK bigram in the catalog: where the
        lexicon says nothing, an unknown character at a phrase's edge that occurs more often
        with its outside neighbour than with its inside one is taken to belong outside
        (件镀铬 of 配件镀铬 -> 镀铬).
    :param df_key: identifies `df`'s statistics in the per-query cache (e.g. the index).
    :returns: distinct terms, none contained in another, in query order.
    """
    lex = default_lexicon()
    q = query.text
    found: dict[str, int] = {}
    if query.tokens:
        for tok in query.tokens & _tokens(listing):
            if tok not in lex.stop and len(tok) > 1:
                found.setdefault(tok, q.find(tok))
    for t in query.scan_hits:
        if t in listing and _occurs(t, listing):
            found.setdefault(t, q.find(t))
    for t in known:
        if t and t in q and t in listing and _occurs(t, q) and _occurs(t, listing):
            found.setdefault(t, q.find(t))
    # Bigram hits: a set of the listing's bigrams pays off for long queries only.
    n_cjk = sum(len(run) for _, run in query.runs)
    bigrams = set(map(str.__add__, listing, listing[1:])) if n_cjk * 4 > len(listing) else listing
    for start, run in query.runs:
        for a, b in _common_pieces(run, listing, bigrams):
            for s, e in _cut(query, start + a, start + b, listing, lex, df, df_key):
                found.setdefault(q[s:e], s)
    terms = [t for t in found if _shown(t)]
    terms = [t for t in terms if not any(t != o and t in o for o in terms)]
    return sorted(terms, key=found.__getitem__)


def _common_pieces(run: str, text: str, bigrams) -> list[tuple[int, int]]:
    """Maximal substrings of a CJK run that occur verbatim in `text`, as (start, end) in run.

    Bigram hits (`bigrams`: a set of text's bigrams, or text itself) only propose
    stretches; each piece is checked as a whole substring, so a stretch stitched from
    bigrams that never stand together in `text` splits in two.
    """
    out = []
    n = len(run)
    last_end = 0
    i = 0
    while i < n - 1:
        if run[i:i + 2] not in bigrams:
            i += 1
            continue
        end = i + 2
        while end < n and run[i:end + 1] in text:
            end += 1
        if end > last_end:
            out.append((i, end))
            last_end = end
        i += 1
    return out


def _straddle(text: str, pos: int, lex: Lexicon, lo: int, hi: int) -> tuple[int, int]:
    """The span of the lexicon words of text[lo:hi] that cross position `pos` (start before
    it, end after it), as (smallest start, largest end); (pos, pos) when none does."""
    first, last = pos, pos
    kind, heads = lex.kind, lex.heads
    for start in range(max(lo, pos - MAX_WORD + 1), pos):
        for size in heads.get(text[start:start + 2], ()):
            end = start + size
            if end > pos and end <= hi and text[start:end] in kind:
                first, last = min(first, start), max(last, end)
    return first, last


def _trim_side(text: str, ps: int, pe: int, lex: Lexicon) -> tuple[int, int]:
    """Move the edges of text[ps:pe] off any lexicon word that straddles them (户问题 from
    客户问题 -> 问题), unless a known word ends right at that edge inside the piece (外观 of
    外观全检 stays). Lexicon words are CJK only, so no window needs clipping at punctuation."""
    kind = lex.kind
    hi = min(len(text), pe + MAX_WORD)
    _, w_end = _straddle(text, ps, lex, 0, hi)
    if w_end > ps and not any(text[ps:ps + m] in kind for m in range(2, min(MAX_WORD, pe - ps) + 1)):
        ps = w_end
    w_start, _ = _straddle(text, pe, lex, ps, hi)
    if w_start < pe and not any(text[pe - k:pe] in kind for k in range(2, min(MAX_WORD, pe - ps) + 1)):
        pe = w_start
    return ps, max(pe, ps)


def _trim_edges(query: QueryText, s: int, e: int, listing: str, lex: Lexicon) -> tuple[int, int]:
    """Trim a common piece q[s:e] in the query (cached per query), then at its first
    occurrence in the listing."""
    key = ("trim", s, e)
    got = query.cuts.get(key)
    if got is None:
        got = query.cuts[key] = _trim_side(query.text, s, e, lex)
    s, e = got
    if e - s < 2:
        return s, s
    j = listing.find(query.text[s:e])
    if j < 0:
        return s, s
    before = listing[j - 1] if j else ""
    after = listing[j + e - s:j + e - s + 1]
    if (not before or before in STRONG_CHARS or not is_cjk(before)) and \
            (not after or after in STRONG_CHARS or not is_cjk(after)):
        return s, e  # set off by punctuation or a strong function character: nothing straddles
    ls, le = _trim_side(listing, j, j + e - s, lex)
    return s + ls - j, s + le - j


def _edge(q: str, pos: int, before: bool, lex: Lexicon) -> str:
    """How firm a word boundary is at q[pos] (the edge of a common piece): "hard" after
    punctuation, a strong function character, filler or a place; "weak" next to a weak
    function character; "soft" inside running text."""
    if before:
        if pos == 0 or not _CJK_RUN_RE.match(q, pos - 1) or q[pos - 1] in STRONG_CHARS:
            return "hard"
        near = (q[pos - k:pos] for k in range(2, MAX_WORD) if pos - k >= 0)
        char = q[pos - 1]
    else:
        if pos >= len(q) or not _CJK_RUN_RE.match(q, pos) or q[pos] in STRONG_CHARS:
            return "hard"
        near = (q[pos:pos + k] for k in range(2, MAX_WORD) if pos + k <= len(q))
        char = q[pos]
    if any(lex.kind.get(w) in ("stop", "place") for w in near):
        return "hard"
    return "weak" if char in WEAK_CHARS else "soft"


_SEPARATOR_EDGE = {"stop": "hard", "place": "hard", "strong": "hard", "weak": "weak"}


def _cut(query: QueryText, s: int, e: int, listing: str, lex: Lexicon, df=None,
         df_key=None) -> list[tuple[int, int]]:
    """Split a common piece q[s:e] into the terms it holds: trimmed off straddling words,
    split at filler, function characters and places; unknown characters next to a weak
    boundary dropped."""
    s, e = _trim_edges(query, s, e, listing, lex)
    if e - s < 2:
        return []
    key = ("cut", s, e, df_key if df is not None else None)
    got = query.cuts.get(key)
    if got is None:
        a, b = _loosen(query.text, s, e, lex, df)
        got = query.cuts[key] = _split(query.text, a, b, lex, a != s, b != e) if b - a >= 2 else []
    return got


def _loosen(q: str, s: int, e: int, lex: Lexicon, df) -> tuple[int, int]:
    """Drop a measure word glued to a number (米 of 280米辊道窑) and, given catalog
    statistics, unknown edge characters that belong to the word outside (see shared_terms)."""
    while e - s > 2 and s > 0 and q[s] in UNIT_CHARS and q[s - 1].isdigit():
        s += 1
    if df is None:
        return s, e
    kind = lex.kind
    while e - s > 2 and _edge(q, s, True, lex) == "soft" and not _known_prefix(q, s, e, kind) \
            and df(q[s - 1:s + 1]) > df(q[s:s + 2]):
        s += 1
    while e - s > 2 and _edge(q, e, False, lex) == "soft" and not _known_suffix(q, s, e, kind) \
            and df(q[e - 1:e + 1]) > df(q[e - 2:e]):
        e -= 1
    return s, e


def _known_prefix(q: str, s: int, e: int, kind: dict) -> bool:
    return any(q[s:s + k] in kind for k in range(2, min(MAX_WORD, e - s) + 1))


def _known_suffix(q: str, s: int, e: int, kind: dict) -> bool:
    return any(q[e - k:e] in kind for k in range(2, min(MAX_WORD, e - s) + 1))


def _split(q: str, s: int, e: int, lex: Lexicon, firm_left: bool = False,
           firm_right: bool = False) -> list[tuple[int, int]]:
    """The terms of q[s:e] (already trimmed), see :func:`_cut`; `firm_left`/`firm_right`
    mark edges that :func:`_loosen` moved, which are word boundaries by its evidence."""
    # Forward maximum matching against the lexicon: (start, end, kind) tokens.
    kind, heads = lex.kind, lex.heads
    toks = []
    i = s
    while i < e:
        for size in heads.get(q[i:i + 2], ()):
            k = kind.get(q[i:i + size]) if i + size <= e else None
            if k is not None:
                toks.append((i, i + size, k))
                i += size
                break
        else:
            c = q[i]
            toks.append((i, i + 1, "strong" if c in STRONG_CHARS else "weak" if c in WEAK_CHARS
                         else "char"))
            i += 1
    out = []
    group: list = []
    left = "hard" if firm_left else _edge(q, s, True, lex)
    for tok in toks:
        if tok[2] in ("term", "char"):
            group.append(tok)
            continue
        out.extend(_accept(group, left, _SEPARATOR_EDGE[tok[2]]))
        group, left = [], _SEPARATOR_EDGE[tok[2]]
    out.extend(_accept(group, left, "hard" if firm_right else _edge(q, e, False, lex)))
    return out


def _accept(group: list, left: str, right: str) -> list[tuple[int, int]]:
    """The term a run of tokens gives (or its known words when it is too long to read as
    one), given how firm the boundaries on its left and right are."""
    if left == "weak":  # drop unknown characters up to the first known word
        while group and group[0][2] == "char":
            group = group[1:]
    if right == "weak":
        while group and group[-1][2] == "char":
            group = group[:-1]
    if not group:
        return []
    s, e = group[0][0], group[-1][1]
    if e - s > MAX_PHRASE or (len(group) > 1 and all(k == "term" for _, _, k in group)):
        # too long to read as one, or known words side by side (机器视觉缺陷检测): its words
        return [(a, b) for a, b, k in group if k == "term"]
    if e - s < 2:
        return []
    if all(k == "char" for _, _, k in group):
        # Unknown characters only: a two-character piece must stand between firm
        # boundaries, a longer one must at least not touch a soft one on both sides.
        if (e - s == 2 and (left, right) != ("hard", "hard")) or (left, right) == ("soft", "soft"):
            return []
    return [(s, e)]
