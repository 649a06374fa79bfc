"""Plain data types exchanged with the app: documents in, queries in, matches out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, NamedTuple

ATTR_SEP = "\x1f"
"""Separates a facet from its value in the interned "facet\x1fvalue" strings of Index.attrs."""


def freeze_attributes(attrs: Mapping[str, object] | None) -> dict[str, frozenset[str]]:
    """Coerce facet values (str, list, set) to frozensets so boosts can intersect them.

    :param attrs: facet name -> value or iterable of values, or None.
    :returns: facet name -> frozenset of non-empty string values (empty facets dropped).
    """
    out: dict[str, frozenset[str]] = {}
    for k, v in (attrs or {}).items():
        vals = (v,) if isinstance(v, str) else (v or ())
        fs = frozenset(str(x) for x in vals if str(x))
        if fs:
            out[str(k)] = fs
    return out


@dataclass(frozen=True)
class Document:
    """A listing or demand as the engine sees it; the app maps its ORM rows onto this.

    ``attributes`` holds taxonomy facets, e.g. {"industry": {"汽车"}, "scenario": {"质检"}};
    their values are also indexed as text (with the tag weight) so taxonomy names match queries.
    """

    id: str
    title: str = ""
    text: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    owner: str | None = None
    verified: bool = False
    kind: str | None = None

    def __post_init__(self):
        # Only coerce what needs it: bulk loads create hundreds of thousands of these.
        if type(self.id) is not str:
            object.__setattr__(self, "id", str(self.id))
        if type(self.tags) is not tuple:
            object.__setattr__(self, "tags", tuple(self.tags or ()))
        if self.attributes:
            object.__setattr__(self, "attributes", freeze_attributes(self.attributes))


@dataclass(frozen=True)
class Query:
    """What to match: free text plus optional facets, ids to skip and kinds to keep."""

    text: str
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    exclude: frozenset[str] = frozenset()
    kinds: frozenset[str] | None = None
    # Keyword-search mode: drop documents that share only single characters with a query
    # that has words or two-character terms (see rank._with_a_strong_term).
    strict: bool = False

    def __post_init__(self):
        object.__setattr__(self, "attributes", freeze_attributes(self.attributes))
        object.__setattr__(self, "exclude", frozenset(str(x) for x in (self.exclude or ())))
        if self.kinds is not None:
            object.__setattr__(self, "kinds", frozenset(self.kinds))


@dataclass(frozen=True)
class Reason:
    """One contribution to a match score.

    kind: "term" (query words found in the listing), "synonym", "facet", "verified", "case",
    "fuzzy". label: what to show (a phrase or facet value); fields: where it matched;
    weight: its share of the final score.
    """

    kind: str
    label: str
    weight: float
    fields: tuple[str, ...] = ()
    facet: str | None = None


class Match(NamedTuple):
    """A ranked result: document id, scores and, when requested, the reasons.

    ``confidence`` (0..1) is absolute: how well this listing answers the query, comparable
    across queries and stable when unrelated listings are added; results are ordered by it
    (strictly decreasing within one result list) and ``RankingWeights.strong_match_confidence``
    is the threshold of a "strong match". ``score`` is the older relative score (the best
    lexical hit is 1.0, plus boosts): kept for callers that still read it, not comparable
    across queries. A NamedTuple rather than a dataclass because the CLI creates hundreds
    of thousands.
    """

    doc_id: str
    score: float
    reasons: tuple[Reason, ...] = ()
    confidence: float = 0.0

    def explanation(self, lang: str = "zh") -> str:
        """User-facing one-liner such as "匹配原因：场景相同 · 机器视觉".

        :param lang: "zh" (default) or "en".
        :returns: the rendered text ("" when there are no reasons).
        """
        from .render import render
        return render(self.reasons, lang)
