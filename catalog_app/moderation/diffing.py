"""What changed between two snapshots of a listing or demand, field by field.

Chinese has no spaces between words, so a word diff would see a whole paragraph as one
word. Text is split into tokens instead: each CJK character is a token, a run of Latin
letters or digits is one token (so "OCR" or "2025" changes as a whole), and every other
character stands alone. difflib then aligns the tokens.

This module returns plain strings and never markup: templates escape every segment, so a
title containing `<script>` is shown as text whatever the diff does to it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

# Latin words and numbers stay whole; everything else (CJK, punctuation, spaces) is one token each.
_TOKEN = re.compile(r"[A-Za-z0-9_.%+-]+|\s|.", re.DOTALL)
_LATIN = re.compile(r"[A-Za-z0-9]")
# Beyond this many tokens a side, difflib's quadratic worst case could stall a request;
# such texts are compared line by line instead.
MAX_TOKENS = 6000
# An unchanged run this short between two changes is folded into them: "把A改成B" reads
# better as one replacement than as a patchwork of single characters.
SHORT_EQUAL = 2

TEXT = "text"
LIST = "list"
VALUE = "value"


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class FieldChange:
    """One field of the snapshot and how it changed ("added", "removed", "changed")."""

    name: str
    kind: str  # TEXT, LIST or VALUE
    old: object
    new: object
    segments: list[Segment] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbours with the same op and drop empty segments."""
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].op == segment.op:
            merged[-1] = Segment(segment.op, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def _group_changes(segments: list[Segment]) -> list[Segment]:
    """Within each run of changes, put all deletions before all insertions."""
    result: list[Segment] = []
    deleted, inserted = "", ""
    for segment in segments + [Segment("equal", "")]:
        if segment.op == "delete":
            deleted += segment.text
        elif segment.op == "insert":
            inserted += segment.text
        else:
            result += [Segment("delete", deleted), Segment("insert", inserted), segment]
            deleted, inserted = "", ""
    return _merge(result)


def _fold_short_equals(segments: list[Segment]) -> list[Segment]:
    folded: list[Segment] = []
    for index, segment in enumerate(segments):
        between_changes = 0 < index < len(segments) - 1
        if segment.op == "equal" and between_changes and _is_short_filler(segment.text):
            folded += [Segment("delete", segment.text), Segment("insert", segment.text)]
        else:
            folded.append(segment)
    return _group_changes(_merge(folded))


def _is_short_filler(text: str) -> bool:
    """One or two CJK characters or punctuation marks; never a Latin word, never a line break."""
    stripped = text.strip()
    return len(stripped) <= SHORT_EQUAL and "\n" not in text and not _LATIN.search(stripped)


def _diff_tokens(old_tokens: list[str], new_tokens: list[str]) -> list[Segment]:
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(old_tokens[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(old_tokens[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(new_tokens[j1:j2])))
    return segments


def diff_text(old: str | None, new: str | None) -> list[Segment]:
    """Segments that turn `old` into `new`: equal, deleted and inserted runs of text.

    :param old: the last approved text (None when there was none).
    :param new: the submitted text.
    :returns: segments whose "equal"+"delete" texts spell `old` and "equal"+"insert" spell `new`.
    """
    old, new = old or "", new or ""
    if old == new:
        return _merge([Segment("equal", old)])
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    if max(len(old_tokens), len(new_tokens)) > MAX_TOKENS:
        old_tokens, new_tokens = old.splitlines(keepends=True), new.splitlines(keepends=True)
    return _fold_short_equals(_merge(_diff_tokens(old_tokens, new_tokens)))


def diff_list(old: list | None, new: list | None) -> tuple[list[str], list[str], list[str]]:
    """(added, removed, kept) items, each in the order it appears in its own list."""
    old_items = [list_item_text(item) for item in old or []]
    new_items = [list_item_text(item) for item in new or []]
    added = [item for item in new_items if item not in old_items]
    removed = [item for item in old_items if item not in new_items]
    kept = [item for item in new_items if item in old_items]
    return added, removed, kept


def list_item_text(item) -> str:
    """Case outcomes are dicts in the snapshot; compare and show them as one line each."""
    if isinstance(item, dict):
        before, after = item.get("before"), item.get("after")
        return f"{item.get('label', '')}: {_number(before)} → {_number(after)} {item.get('unit', '')}".strip()
    return str(item)


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def compare_snapshots(old: dict | None, new: dict, kinds: dict[str, str]) -> list[FieldChange]:
    """The fields whose value differs between two snapshots, in the order of `kinds`.

    :param old: the last approved snapshot, or None for a first submission (every
        non-empty field of `new` then counts as added).
    :param new: the submitted snapshot.
    :param kinds: field name → TEXT, LIST or VALUE; fields not named are compared as VALUE
        after the named ones, so a field added to the snapshot later is never hidden.
    :returns: one FieldChange per changed field.
    """
    old = old or {}
    names = list(kinds) + sorted((set(old) | set(new)) - set(kinds))
    changes = []
    for name in names:
        before, after = old.get(name), new.get(name)
        if _empty(before) and _empty(after) or before == after:
            continue
        kind = kinds.get(name, VALUE)
        change = FieldChange(name=name, kind=kind, old=before, new=after)
        if kind == TEXT:
            change.segments = diff_text(before, after)
        elif kind == LIST:
            change.added, change.removed, change.kept = diff_list(before, after)
        changes.append(change)
    return changes


def _empty(value) -> bool:
    return value is None or value == "" or value == []
