"""Matching engine of the Scenario Catalog: recommends listings for a demand and demands for a
supplier, with reasons users can read. Framework-free (no Flask/SQLAlchemy) so it can run in
workers, the CLI and the benchmark alike.

The names below are imported on first use (PEP 562), so that ``python -m matching`` does not
pay for numpy and scipy before it needs them: the CLI starts its second process first.
"""
from __future__ import annotations

import importlib
import sys
import types

from .model import Document, Match, Query, Reason
from .weights import DEFAULT_WEIGHTS, RankingWeights

_LAZY = {"Index": "index", "build_index": "build", "rank": "rank", "rank_many": "rank",
         "explain": "explain", "infer_facets": "rank", "find_near_duplicates": "duplicates", "NearDuplicate": "duplicates"}

__all__ = ["Document", "Query", "Match", "Reason", "Index", "build_index", "rank", "rank_many",
           "explain", "infer_facets", "find_near_duplicates", "NearDuplicate", "RankingWeights", "DEFAULT_WEIGHTS"]


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """Keeps ``matching.rank`` and ``matching.explain`` the functions, not the submodules of
    the same names: importing a submodule sets it as a package attribute, which the eager
    ``from .rank import rank`` used to overwrite right away."""

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
