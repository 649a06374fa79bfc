"""Kept figures: reused within FIGURES_MAX_AGE_SECONDS, recomputed after, never kept at 0."""
from __future__ import annotations

from catalog_app.figures import kept
from catalog_app.read_cache import read_cache


def test_figures_are_kept_for_the_configured_time(app):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    clock = [1000.0]
    with app.app_context():
        read_cache().clock = lambda: clock[0]
        app.config["FIGURES_MAX_AGE_SECONDS"] = 30
        assert kept("answer", compute) == 1
        clock[0] += 29
        assert kept("answer", compute) == 1
        clock[0] += 2
        assert kept("answer", compute) == 2
        app.config["FIGURES_MAX_AGE_SECONDS"] = 0
        assert kept("answer", compute) == 3
        assert kept("answer", compute) == 4
