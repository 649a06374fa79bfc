"""The statistics and scenario queries again on PostgreSQL: month buckets, day spans and
medians are spelled per dialect (`stats.sql`), so each needs a run on the production database."""
from __future__ import annotations

import pytest

from tests.scenarios.test_pages import (  # noqa: F401  (collected again here, on PostgreSQL)
    test_detail_page_and_unknown_slug,
    test_industries_counted_from_public_listings_and_demands,
    test_outcome_medians_respect_direction,
)
from tests.stats.test_routes import test_page_json_and_csv_of_every_chart  # noqa: F401
from tests.stats.test_services import (  # noqa: F401
    test_aggregate_statement_count_does_not_grow,
    test_counts_by_city_include_districts,
    test_funnel_and_median_time_to_first_proposal,
    test_growth_is_cumulative_by_month,
    test_match_quality_by_scenario,
    test_totals_and_tiers_count_public_rows_only,
)
from tests.stats.test_unmet import test_unmet_demands_counted_by_city_industry_and_scenario  # noqa: F401

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_app):
    """Every fixture of this module (factories, client) on PostgreSQL."""
    return pg_app
