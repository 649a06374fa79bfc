"""Every tunable number of the matching engine, in one place.

The same defaults serve the web app and the benchmark CLI; they were chosen on the bench
(see docs/matching.md) and must not be tuned per dataset.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class RankingWeights:
    """Weights and thresholds of indexing, ranking, explanations and near-duplicate search."""

    k1: float = 1.2
    """BM25 term-frequency saturation: higher lets repeated terms keep adding score."""

    b: float = 0.75
    """BM25 length normalisation: 1 fully normalises by document length, 0 ignores it."""

    title_weight: float = 2.0
    """Field weight of the title (BM25F-style: scales the title's term frequency and length).
    Titles name the offer precisely, so a match there says more than one in the body."""

    summary_weight: float = 1.5
    """Field weight of the summary (one-paragraph pitch of a listing)."""

    body_weight: float = 1.0
    """Field weight of the body / free text; the reference weight."""

    tags_weight: float = 2.0
    """Field weight of tags and taxonomy names, which are curated and therefore precise."""

    unigram_weight: float = 1.0
    """Query-side weight of a single CJK character. Bench: 1.0 beats 0.3-0.5 on both Chinese
    sets (characters carry meaning in short queries), so bigrams get the *lower* weight."""

    bigram_weight: float = 0.3
    """Query-side weight of a CJK character bigram, the closest cheap proxy for a word.
    Every bigram overlaps two unigrams already counted, hence far below 1:
    bench nDCG@10 rises from 1.0 to 0.3 on qbqtc and lcqmc (they only break ties of unigrams)."""

    long_query_chars: int = 40
    """A query with at least this many distinct CJK characters is a long demand (a paragraph,
    not a few keywords): its characters get long_unigram_weight and its bigrams
    long_bigram_weight instead. In a paragraph single characters repeat across every topic
    and two-character words carry the meaning; in a short query it is the other way round."""

    long_unigram_weight: float = 0.3
    """Query-side weight of a CJK character in a long demand (see long_query_chars)."""

    long_bigram_weight: float = 1.0
    """Query-side weight of a CJK bigram in a long demand (see long_query_chars)."""

    long_query_max_df: float = 0.2
    """On large catalogs (two_phase_min_docs and up), long demands drop query terms found in
    more than this share of the live documents (1.0: keep all): boilerplate that decides
    nothing and the costliest terms to score (100k synthetic listings: CPU p95 52 -> 26 ms at
    load 13). Not on smaller catalogs, where adding a few hundred listings would move terms
    across the cut and so move confidences (on indomain-dev it would cost 0.0007 nDCG@10)."""

    phrase_weight: float = 0.1
    """Long demands: the most a listing gains for exact phrases (4+ characters) of the demand
    in its title or tags, weighted by rarity (see rank.phrase_bonus; 0: off)."""

    phrase_saturation: float = 3.0
    """Rarity-weighted 4-character pieces at which the phrase bonus is full."""

    word_weight: float = 1.0
    """Query-side weight of an ASCII word, model number or stemmed English word."""

    synonym_weight: float = 0.3
    """Weight of terms added by the industrial synonym list (relative to the original terms),
    low so that synonyms recall listings without outranking literal matches."""

    fuzzy_weight: float = 0.1
    """Weight of the rapidfuzz title/tag similarity (0..1) added to the lexical score
    normalised to the best hit (0..1). Catches typos and word order on short titles."""

    fuzzy_scorer: str = "ratio"
    """rapidfuzz scorer for that similarity: "ratio" (edit distance over the whole label),
    "partial_ratio" (best-matching substring), or "token_set_ratio" (word order free)."""

    fuzzy_depth: int = 50
    """How many top lexical candidates get the fuzzy and structured re-ranking."""

    facet_boosts: tuple[tuple[str, float], ...] = (
        ("industry", 0.10), ("scenario", 0.15), ("technology", 0.10), ("region", 0.05))
    """Additive boost per facet when the query and the document share at least one value
    (facet name, boost). Scenario is the strongest signal of a real fit on this platform."""

    verified_boost: float = 0.03
    """Boost for listings of a verified supplier: a tie-breaker, never a ranking on its own."""

    case_evidence_boost: float = 0.05
    """Boost for a listing whose owner also has a lexically matching case among the
    candidates: a delivered case is evidence the supplier can do it."""

    max_per_owner: int = 4
    """At most this many results of one owner/supplier in the diversified window (0: no cap).
    Together with owner_repeat_penalty: one supplier cannot fill the first page, yet its
    second and third right answers are not pushed below other suppliers' wrong ones (a hard
    cap of 2 cost 0.07 nDCG@10 on the in-domain set, where a supplier often offers a
    solution, a product and a case for the same need)."""

    owner_repeat_penalty: float = 0.05
    """Diversification: subtracted from a candidate's final score per result of the same
    owner already placed in the window (0: off)."""

    kind_repeat_penalty: float = 0.05
    """Diversification: subtracted per result of the same kind (solution / product / case)
    already placed in the window, so the first page mixes kinds when scores are close."""

    diversify_window: int = 10
    """Size of the result window in which max_per_owner applies (the first page)."""

    prf_docs: int = 5
    """Pseudo-relevance feedback: number of top documents to expand the query from (0 = off)."""

    prf_terms: int = 10
    """Pseudo-relevance feedback: number of expansion terms taken from those documents."""

    prf_weight: float = 0.3
    """Pseudo-relevance feedback: total weight of expansion terms relative to the query."""

    prf_min_query_terms: int = 8
    """Pseudo-relevance feedback only for sentence-like queries: at least this many distinct
    CJK characters / words. Short keyword queries drift when expanded (bench: qbqtc loses
    0.003 nDCG with PRF on every query; lcqmc and scifact gain 0.02 and 0.013)."""

    prf_max_docs: int = 50_000
    """Pseudo-relevance feedback is skipped on indexes larger than this: it needs a row-major
    copy of the matrix, which would double the memory of a large catalog."""

    facet_min_docs: int = 20
    """The industry / scenario classifier trains only when at least this many listings carry
    the facet (below that it would learn noise; the public bench sets carry none)."""

    facet_nb_alpha: float = 0.1
    """Naive-Bayes smoothing (Lidstone alpha) of the facet classifier."""

    facet_nb_sharpness: float = 8.0
    """The classifier's log-likelihood is averaged per query term and multiplied by this
    before the softmax: raw naive Bayes is near-certain on any long text."""

    facet_background_prior: float = 0.1
    """Open-set inference: the pooled "all listings" model joins the classifier's classes
    with this times the number of classes as prior weight (0: off); the probability it
    takes means "none of the catalog's scenarios/industries"."""

    facet_nb_share: float = 1.0
    """Weight of the classifier against the alias lexicon (industry only)."""

    facet_alias_share: float = 1.0
    """Weight of the alias lexicon (product words -> industry) against the classifier."""

    inferred_scenario_weight: float = 3.0
    """Added to a listing's score times the probability that the query means the listing's
    scenario (inferred, see matching/facets.py)."""

    inferred_industry_weight: float = 0.3
    """Industry term: this times (P(listing's industry) - half the top industry probability)
    for a listing aimed at named industries; 0 for an industry-agnostic one (通用 or none).
    So a right-industry listing gains, a wrong-industry one loses, and an unsure inference
    moves neither much."""

    confidence_slope: float = 1.5
    """Confidence = logistic(confidence_slope * (final - confidence_midpoint)), where `final`
    is the absolute ranking score (lexical score over the query's own maximum, plus re-ranking
    signals). Strictly increasing, so ranking by the final score is ranking by confidence."""

    confidence_midpoint: float = 2.3
    """Final score at which the confidence is 0.5 (see confidence_slope)."""

    unknown_vocabulary_tolerance: float = 0.2
    """Share of a query's information the catalog may not know before its confidences are
    discounted. Known share = IDF-weighted distinct characters and words of the query that
    some listing holds, over the same with unknown ones at the IDF of a term no listing
    holds (bigrams left out: across word boundaries they are noise). The confidence is
    computed from final x min(1, known share / (1 - tolerance)): a demand written mostly in
    words the catalog has never seen (a synonym hit or one shared character on a tiny
    catalog) gets no strong match. Only keyword queries (fewer than prf_min_query_terms
    distinct characters and words) are discounted: a sentence holds filler a small catalog
    lacks, and the facet classifier's background model tells an out-of-domain demand. A
    query word understood through a synonym the catalog knows (AOI -> 外观检测) counts as
    known."""

    strong_match_confidence: float = 0.35
    """A match with at least this confidence is a "strong match" (app badge, e-mails, API)."""

    dup_cosine: float = 0.85
    """Near-duplicate: TF-IDF cosine at or above which two listings repeat each other."""

    dup_title_ratio: float = 90.0
    """Near-duplicate: rapidfuzz title ratio (0-100) that, together with dup_cosine_with_title,
    also flags a repeat (same title, reworded text)."""

    dup_cosine_with_title: float = 0.5
    """Near-duplicate: the lower cosine accepted when the titles are nearly identical."""

    two_phase_min_docs: int = 50_000
    """From this many live documents on, single queries score very common terms (see
    two_phase_common_df) only on the candidates found by the other terms. Keeps p95 latency
    low on large catalogs; below this size scoring is exact (the bench sets are all smaller)."""

    two_phase_common_df: float = 0.05
    """A query term found in more than this fraction of documents counts as "common"."""

    two_phase_candidates: int = 2000
    """How many candidates the selective terms must supply for the common terms' pass."""

    compact_min_delta: int = 1000
    """The delta segment of added documents is merged into the main matrix once it holds more
    than max(compact_min_delta, compact_fraction * main size) documents."""

    compact_fraction: float = 0.05
    """See compact_min_delta."""

    def field_weights(self) -> dict[str, float]:
        """Field name -> BM25F weight, in the order fields are read from a Document.

        :returns: mapping used by the index builder.
        """
        return {"title": self.title_weight, "summary": self.summary_weight,
                "text": self.body_weight, "tags": self.tags_weight}

    def to_dict(self) -> dict:
        """JSON-safe form, stored in the index manifest so a loaded index ranks the same.

        :returns: plain dict of every weight.
        """
        d = asdict(self)
        d["facet_boosts"] = [list(x) for x in self.facet_boosts]
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "RankingWeights":
        """Inverse of :meth:`to_dict`; unknown keys are ignored for forward compatibility.

        :param data: dict as produced by to_dict.
        :returns: the weights.
        """
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in known}
        if "facet_boosts" in kw:
            kw["facet_boosts"] = tuple((str(a), float(b)) for a, b in kw["facet_boosts"])
        return cls(**kw)


DEFAULT_WEIGHTS = RankingWeights()
