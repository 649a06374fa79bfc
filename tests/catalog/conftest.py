"""Fixtures of the catalog tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def page_cache_off(app):
    """For tests of the caches under the page cache (cards, page parts, facet counts): an
    anonymous request would otherwise be answered whole from the page cache (catalog_app.page_cache)."""
    app.config["PAGE_CACHE_MAX_AGE_SECONDS"] = 0
