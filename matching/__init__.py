"""Matching engine of the Scenario Catalog: recommends listings for a demand and demands for a
supplier, with reasons users can read. Framework-free (no Flask/SQLAlchemy) so it can run in
workers, the CLI and the benchmark alike.
"""
from .duplicates import NearDuplicate, find_near_duplicates
from .explain import explain
from .build import build_index
from .index import Index
from .model import Document, Match, Query, Reason
from .rank import rank, rank_many
from .weights import DEFAULT_WEIGHTS, RankingWeights

__all__ = ["Document", "Query", "Match", "Reason", "Index", "build_index", "rank", "rank_many",
           "explain", "find_near_duplicates", "NearDuplicate", "RankingWeights", "DEFAULT_WEIGHTS"]
