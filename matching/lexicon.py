"""The word lists explanations cut phrases with, kept as data so that domain staff can extend
them without touching code (see shared_terms.py for how they are used):

* ``data/terms.txt`` - industrial terms, taxonomy names and common words with function
  characters inside (在线, 可视化);
* ``data/stopwords.txt`` - filler and function words, Chinese and English;
* ``data/places.txt`` - provinces, cities, districts, towns;
* ``data/synonyms.txt`` - its members count as terms too.

Words are separated by spaces or new lines; "#" starts a comment line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .synonyms import default_synonyms
from .tokenizer import CJK_RANGES, EN_STOP, normalize

DATA = Path(__file__).with_name("data")
MAX_WORD = 8  # longest lexicon word used to cut phrases (longer ones still match whole)
_CJK_RUN_RE = re.compile(f"[{CJK_RANGES}]+")


def _read_words(name: str) -> set[str]:
    words = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            words.update(normalize(w) for w in line.split())
    return words


@dataclass(frozen=True)
class Lexicon:
    """The word lists above, normalised: what explanations know about words."""

    stop: frozenset[str]        # filler, CJK and English: never a term
    places: frozenset[str]      # place names: never a term, always a boundary
    terms: frozenset[str]       # known terms (not filler, not places)
    kind: dict                  # every multi-character CJK entry -> "stop" | "place" | "term"
    heads: dict                 # first two characters -> lengths of the kind entries, longest first
    scan_terms: tuple[str, ...]  # terms looked up whole in a query (mixed-script or long)

    @classmethod
    def from_files(cls) -> "Lexicon":
        """Load the packaged lists (data/stopwords.txt, terms.txt, places.txt, synonyms.txt).

        :returns: the lexicon.
        """
        stop = _read_words("stopwords.txt") | set(EN_STOP)
        places = _read_words("places.txt")
        terms = _read_words("terms.txt")
        for group in default_synonyms().groups:
            terms.update(group)
        terms -= stop | places
        kind: dict[str, str] = {}
        for label, words in (("term", terms), ("place", places), ("stop", stop)):
            for w in words:
                if len(w) > 1 and _CJK_RUN_RE.fullmatch(w):
                    kind[w] = label
        lengths: dict[str, set[int]] = {}
        for w in kind:
            lengths.setdefault(w[:2], set()).add(len(w))
        heads = {h: tuple(sorted(ls, reverse=True)) for h, ls in lengths.items()}
        scan = tuple(sorted((t for t in terms if not _CJK_RUN_RE.fullmatch(t) or len(t) > MAX_WORD),
                            key=len, reverse=True))
        return cls(frozenset(stop), frozenset(places), frozenset(terms), kind, heads, scan)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The packaged lexicon, loaded once per process.

    :returns: the shared Lexicon.
    """
    return Lexicon.from_files()
