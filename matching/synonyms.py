"""Industrial synonym groups, loaded from data/synonyms.txt, used to expand queries.

Kept as data so domain staff can extend it without touching code. Only queries are expanded
(not documents), so editing the list never requires re-indexing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .tokenizer import normalize

DEFAULT_PATH = Path(__file__).with_name("data") / "synonyms.txt"


class Synonyms:
    """Phrase -> synonym-group lookup with a single compiled regex for fast query scanning."""

    def __init__(self, groups: list[tuple[str, ...]]):
        self.groups = [tuple(normalize(m) for m in g) for g in groups if len(g) > 1]
        self.phrase_group: dict[str, int] = {}
        for gi, g in enumerate(self.groups):
            for m in g:
                self.phrase_group.setdefault(m, gi)
        phrases = sorted(self.phrase_group, key=len, reverse=True)
        parts = []
        for p in phrases:
            esc = re.escape(p)
            # ASCII members must match whole words ("aps" must not fire inside "caps").
            parts.append(f"(?<![a-z0-9]){esc}(?![a-z0-9])" if p.isascii() else esc)
        self._re = re.compile("|".join(parts)) if parts else None
        # The first two characters of every phrase: a query without any of these pairs
        # cannot match, and most queries have none, so find() skips the regex scan, which
        # tries every alternative at every position (a third of the time spent compiling a
        # query). Off if some phrase has a single character.
        self._heads = frozenset(p[:2] for p in phrases)
        self._short = any(len(p) < 2 for p in phrases)

    @classmethod
    def from_file(cls, path: str | Path) -> "Synonyms":
        """Read "a / b / c" lines; "#" starts a comment line.

        :param path: text file, UTF-8.
        :returns: the lookup.
        """
        groups = []
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            groups.append(tuple(m.strip() for m in line.split("/") if m.strip()))
        return cls(groups)

    def find(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Synonym phrases present in a query and the other members of their group.

        :param text: query text (normalised or not).
        :returns: (matched phrase, other members) per distinct match, in text order.
        """
        if self._re is None or not text:
            return []
        text = normalize(text)
        if not self._short and self._heads.isdisjoint(map(str.__add__, text, text[1:])):
            return []
        out, seen = [], set()
        for m in self._re.finditer(text):
            gi = self.phrase_group[m.group(0)]
            if gi in seen:
                continue
            seen.add(gi)
            out.append((m.group(0), tuple(x for x in self.groups[gi] if x != m.group(0))))
        return out


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    """The packaged list, loaded once per process.

    :returns: the shared Synonyms instance.
    """
    return Synonyms.from_file(DEFAULT_PATH)
