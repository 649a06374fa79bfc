"""Scenario pages: status codes, what they show, outcome medians with their direction."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (
    CaseOutcome,
    Confidentiality,
    DemandStatus,
    Industry,
    ListingKind,
    ListingStatus,
    OutcomeMetric,
    Scenario,
)
from catalog_app.scenarios import services


def _scenario(slug: str = "online-intelligent-inspection") -> Scenario:
    return db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug))


def _case(create_listing, scenario, *outcomes, **kwargs):
    listing = create_listing(ListingKind.CASE, scenarios=[scenario], **kwargs)
    for position, (metric, before, after) in enumerate(outcomes):
        listing.outcomes.append(CaseOutcome(metric=metric, label=metric.value, before_value=before,
                                            after_value=after, unit="x", position=position))
    db.session.flush()
    return listing


def test_index_lists_every_stage_with_counts(client, create_listing, create_demand):
    scenario = _scenario()
    create_listing(ListingKind.SOLUTION, scenarios=[scenario])
    create_listing(ListingKind.SOLUTION, scenarios=[scenario], status=ListingStatus.DRAFT)
    create_demand(scenarios=[scenario])
    db.session.commit()

    groups = services.scenario_index()
    counts = dict((s.id, c) for group in groups for s, c in group.scenarios)[scenario.id]
    assert counts.by_kind == {ListingKind.SOLUTION: 1}
    assert counts.demands == 1
    assert sum(len(group.scenarios) for group in groups) == db.session.scalar(sa.select(sa.func.count(Scenario.id)))

    response = client.get("/scenarios/")
    assert response.status_code == 200
    assert scenario.name_zh in response.get_data(as_text=True)


def test_detail_page_and_unknown_slug(client, create_listing, create_demand):
    scenario = _scenario()
    case = _case(create_listing, scenario, (OutcomeMetric.COST, 100, 70), title="皮具质检案例")
    create_listing(ListingKind.PRODUCT, scenarios=[scenario], title="工业相机产品")
    create_demand(scenarios=[scenario], title="五金件外观检测需求")
    db.session.commit()

    response = client.get(f"/scenarios/{scenario.slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert case.title in page and "工业相机产品" in page and "五金件外观检测需求" in page
    assert "-30%" in page
    assert client.get("/scenarios/no-such-scenario").status_code == 404
    assert client.get(f"/scenarios/{scenario.slug}?lang=en").status_code == 200


def test_outcome_medians_respect_direction(app, create_listing):
    scenario = _scenario()
    # Cost: -60, -30, -10 -> median -30 (lower is better: an improvement).
    _case(create_listing, scenario, (OutcomeMetric.COST, 100, 40), (OutcomeMetric.EFFICIENCY, 100, 150))
    _case(create_listing, scenario, (OutcomeMetric.COST, 100, 70), (OutcomeMetric.EFFICIENCY, 100, 130))
    _case(create_listing, scenario, (OutcomeMetric.COST, 200, 180))
    # Yield dropped: worse. A zero baseline is left out.
    _case(create_listing, scenario, (OutcomeMetric.YIELD, 90, 81), (OutcomeMetric.DOWNTIME, 0, 5))
    # Unpublished cases and other scenarios do not count.
    _case(create_listing, scenario, (OutcomeMetric.COST, 100, 500), status=ListingStatus.DRAFT)
    _case(create_listing, _scenario("equipment-fault-prediction"), (OutcomeMetric.COST, 100, 900))
    db.session.commit()

    summaries = {summary.metric: summary for summary in services.outcome_summaries(scenario.id)}
    assert set(summaries) == {OutcomeMetric.COST, OutcomeMetric.EFFICIENCY, OutcomeMetric.YIELD}
    assert summaries[OutcomeMetric.COST].median_change == -30.0
    assert summaries[OutcomeMetric.COST].measurements == 3
    assert summaries[OutcomeMetric.COST].is_improvement is True
    assert summaries[OutcomeMetric.EFFICIENCY].median_change == 40.0  # even count: mean of the middle two
    assert summaries[OutcomeMetric.EFFICIENCY].is_improvement is True
    assert summaries[OutcomeMetric.YIELD].median_change == -10.0
    assert summaries[OutcomeMetric.YIELD].is_improvement is False


def test_industries_counted_from_public_listings_and_demands(app, create_listing, create_demand):
    scenario = _scenario()
    leather, auto = db.session.scalars(sa.select(Industry).order_by(Industry.id).limit(2)).all()
    create_listing(scenarios=[scenario], industries=[leather])
    create_listing(scenarios=[scenario], industries=[leather, auto])
    create_listing(scenarios=[scenario], industries=[auto], status=ListingStatus.PENDING_REVIEW)
    create_demand(scenarios=[scenario], industries=[auto])
    create_demand(scenarios=[scenario], industries=[auto], status=DemandStatus.DRAFT)
    db.session.commit()

    uses = {use.industry.id: (use.listings, use.demands) for use in services.industries_using(scenario)}
    assert uses == {leather.id: (2, 0), auto.id: (1, 1)}


def test_detail_never_shows_confidential_details(client, create_demand):
    scenario = _scenario()
    create_demand(scenarios=[scenario], confidentiality=Confidentiality.SUMMARY_ONLY,
                  confidential_details="机密工艺参数XYZ-42")
    db.session.commit()
    page = client.get(f"/scenarios/{scenario.slug}").get_data(as_text=True)
    assert "机密工艺参数XYZ-42" not in page


def test_detail_statement_count_does_not_grow(client, create_listing, create_demand, count_queries):
    scenario = _scenario()

    def add(n):
        for _ in range(n):
            _case(create_listing, scenario, (OutcomeMetric.COST, 100, 80))
            create_listing(ListingKind.SOLUTION, scenarios=[scenario])
            create_demand(scenarios=[scenario])
        db.session.commit()

    add(1)
    with count_queries() as few:
        client.get(f"/scenarios/{scenario.slug}")
    add(8)
    with count_queries() as many:
        client.get(f"/scenarios/{scenario.slug}")
    assert many.count == few.count


def test_index_statement_count_does_not_grow(client, create_listing, create_demand, count_queries):
    scenarios = db.session.scalars(sa.select(Scenario).order_by(Scenario.id).limit(5)).all()
    create_listing(scenarios=scenarios[:1])
    db.session.commit()
    with count_queries() as few:
        client.get("/scenarios/")
    for scenario in scenarios:
        create_listing(ListingKind.PRODUCT, scenarios=[scenario])
        create_demand(scenarios=[scenario])
    db.session.commit()
    with count_queries() as many:
        client.get("/scenarios/")
    assert many.count == few.count
