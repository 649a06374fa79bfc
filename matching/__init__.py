"""Matching engine of the Scenario Catalog: recommends listings for a demand and demands for a
supplier, with reasons users can read. Framework-free (no Flask/SQLAlchemy) so it can run in
workers, the CLI and the benchmark alike.
"""
from .index import Index, build_index
from .model import Document, Match, Query, Reason
from .rank import rank, rank_many
from .weights import DEFAULT_WEIGHTS, RankingWeights

__all__ = ["Document", "Query", "Match", "Reason", "Index", "build_index", "rank", "rank_many",
           "explain", "find_near_duplicates", "NearDuplicate", "RankingWeights", "DEFAULT_WEIGHTS"]


def __getattr__(name):
    # explain/duplicates pull in rapidfuzz helpers only when used.
    if name == "explain":
        from .explain import explain
        return explain
    if name in ("find_near_duplicates", "NearDuplicate"):
        from . import duplicates
        return getattr(duplicates, name)
    raise AttributeError(name)
