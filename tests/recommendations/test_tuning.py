"""`flask matching tune`: labelled pairs from existing rows, a fit that is kept only when it
predicts held-out feedback better, and the weights file the app then ranks with."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import (DeclineReason, Match, MatchFeedback, MatchStatus, Proposal, ProposalStatus, Scenario,
                                UserRole, Verdict)
from catalog_app.models.proposals import proposal_listings
from catalog_app.recommendations.labels import labelled_pairs
from catalog_app.recommendations.services import live_index
from catalog_app.recommendations.weights import configured_weights, read_weights, save_weights
from matching import DEFAULT_WEIGHTS

# Every demand and listing shares the same generic words, so the text cannot tell the pairs
# apart: only the scenario they share can, and only the labels say how much it matters.
GENERIC = "工厂智能化改造，采集生产数据，建设智能系统，提升效率"
SCENARIOS = ("online-intelligent-inspection", "equipment-fault-prediction")


def _scenario(slug: str) -> Scenario:
    return db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug))


@pytest.fixture
def feedback_market(create_listing, create_demand):
    """12 demands x 8 listings, half of each in either scenario; returns a function that labels
    every pair: same scenario -> contacted (1), other scenario -> dismissed (0); when asked, the
    held-out demands (every 4th by id) instead say that every listing was a fit. The engine is
    nearly certain of every pair here (all words match), so only that disagreement can make the
    fitted weights worse than the current ones on the held-out pairs."""
    listings = [create_listing(title=f"智能系统方案{i}", summary=GENERIC, body=GENERIC,
                               scenarios=[_scenario(SCENARIOS[i % 2])]) for i in range(8)]
    demands = [create_demand(title=f"智能化改造需求{i}", summary=GENERIC, scenarios=[_scenario(SCENARIOS[i % 2])])
               for i in range(12)]
    db.session.commit()

    def label(held_out_like_everything: bool = False) -> None:
        for position, demand in enumerate(sorted(demands, key=lambda d: d.id)):
            anything_goes = held_out_like_everything and position % 4 == 3
            for listing in listings:
                same = demand.scenarios[0].id == listing.scenarios[0].id
                status = MatchStatus.CONTACTED if same or anything_goes else MatchStatus.DISMISSED
                db.session.add(Match(demand_id=demand.id, listing_id=listing.id, score=1.0, reasons=[], status=status))
        db.session.commit()

    return label


def _losses(output: str) -> tuple[float, float]:
    found = re.search(r"held-out log loss: current ([\d.]+), tuned ([\d.]+)", output)
    assert found, output
    return float(found.group(1)), float(found.group(2))


def test_a_better_fit_is_written_where_the_app_reads_its_weights(app, runner, feedback_market, tmp_path):
    path = tmp_path / "weights.json"
    app.config["MATCHING_WEIGHTS_PATH"] = str(path)
    feedback_market()
    result = runner.invoke(args=["matching", "tune"])
    assert result.exit_code == 0, result.output
    current, tuned = _losses(result.output)
    assert tuned < current
    written = read_weights(path)
    assert json.loads(path.read_text(encoding="utf-8"))["confidence_slope"] == written.confidence_slope
    assert dict(written.facet_boosts)["scenario"] > dict(DEFAULT_WEIGHTS.facet_boosts)["scenario"]
    # The app ranks with them from now on: read at every build, and the indexes were rebuilt.
    assert configured_weights(app.config) == written
    assert live_index("listings").index().weights == written


def test_a_worse_fit_is_refused_and_nothing_is_written(app, runner, feedback_market, tmp_path):
    # The current weights call every pair a near-certain fit, which is what the held-out demands
    # say; the others say only same-scenario pairs fit, so a fit on them must do worse there.
    path = tmp_path / "weights.json"
    trusting = replace(DEFAULT_WEIGHTS, confidence_midpoint=-1.0)
    save_weights(path, trusting)
    app.config["MATCHING_WEIGHTS_PATH"] = str(path)
    feedback_market(held_out_like_everything=True)
    result = runner.invoke(args=["matching", "tune"])
    assert result.exit_code == 1, result.output
    current, tuned = _losses(result.output)
    assert tuned >= current
    assert "refused" in result.output
    assert read_weights(path) == trusting  # untouched
    assert live_index("listings").index().weights == trusting


def test_too_few_labels_is_a_clear_error(app, runner, create_listing, create_demand, tmp_path):
    app.config["MATCHING_WEIGHTS_PATH"] = str(tmp_path / "weights.json")
    listing, demand = create_listing(), create_demand()
    db.session.add(Match(demand_id=demand.id, listing_id=listing.id, score=1.0, reasons=[],
                         status=MatchStatus.DISMISSED))
    db.session.commit()
    result = runner.invoke(args=["matching", "tune"])
    assert result.exit_code == 1
    assert "too few labelled pairs: 1" in result.output
    assert not (tmp_path / "weights.json").exists()


def test_without_a_weights_path_the_command_says_where_to_write(app, runner):
    app.config["MATCHING_WEIGHTS_PATH"] = None
    result = runner.invoke(args=["matching", "tune"])
    assert result.exit_code == 2 and "--output" in result.output


def test_labelled_pairs_read_every_signal_with_its_priority(app, create_listing, create_demand, create_user):
    demand = create_demand()
    a, b, c, d, e = (create_listing(title=f"方案{i}") for i in range(5))
    supplier, second, third = (create_user(role=UserRole.SUPPLIER) for _ in range(3))
    enterprise_user = create_user(role=UserRole.ENTERPRISE, organization=demand.organization)
    # a: dismissed, but the enterprise shortlisted a proposal naming it -> 1 (shortlist wins)
    db.session.add(Match(demand_id=demand.id, listing_id=a.id, score=1, reasons=[], status=MatchStatus.DISMISSED))
    shortlisted = Proposal(demand_id=demand.id, organization_id=supplier.organization_id, approach="x",
                           status=ProposalStatus.SHORTLISTED)
    # b: declined as not a fit -> 0, even though someone clicked "interested"
    declined = Proposal(demand_id=demand.id, organization_id=second.organization_id, approach="y",
                        status=ProposalStatus.DECLINED, decline_reason=DeclineReason.NOT_A_FIT)
    # e: declined for its cost -> says nothing of the fit: no label
    costly = Proposal(demand_id=demand.id, organization_id=third.organization_id, approach="z",
                      status=ProposalStatus.DECLINED, decline_reason=DeclineReason.COST)
    db.session.add_all([shortlisted, declined, costly])
    db.session.flush()
    db.session.execute(sa.insert(proposal_listings), [
        {"proposal_id": shortlisted.id, "listing_id": a.id}, {"proposal_id": declined.id, "listing_id": b.id},
        {"proposal_id": costly.id, "listing_id": e.id}])
    db.session.add_all([
        MatchFeedback(demand_id=demand.id, listing_id=b.id, user_id=supplier.id, verdict=Verdict.INTERESTED),
        # c: "not relevant" beats the contacted status
        MatchFeedback(demand_id=demand.id, listing_id=c.id, user_id=enterprise_user.id, verdict=Verdict.NOT_RELEVANT),
        Match(demand_id=demand.id, listing_id=c.id, score=1, reasons=[], status=MatchStatus.CONTACTED),
        # d: contacted and nothing else -> 1
        Match(demand_id=demand.id, listing_id=d.id, score=1, reasons=[], status=MatchStatus.CONTACTED),
    ])
    db.session.commit()
    labels = {p.listing_id: (p.label, p.source) for p in labelled_pairs()}
    assert labels == {a.id: (1, "shortlisted"), b.id: (0, "declined_not_a_fit"), c.id: (0, "not_relevant"),
                      d.id: (1, "contacted")}


def test_an_unreadable_weights_file_falls_back_to_the_defaults(app, tmp_path):
    path = tmp_path / "weights.json"
    path.write_text("{not json", encoding="utf-8")
    assert configured_weights({"MATCHING_WEIGHTS_PATH": str(path)}) == DEFAULT_WEIGHTS
    assert configured_weights({"MATCHING_WEIGHTS_PATH": str(tmp_path / "missing.json")}) == DEFAULT_WEIGHTS
    path.write_text(json.dumps({**DEFAULT_WEIGHTS.to_dict(), "k1": "high"}), encoding="utf-8")
    assert configured_weights({"MATCHING_WEIGHTS_PATH": str(path)}) == DEFAULT_WEIGHTS
    path.write_text(json.dumps({**DEFAULT_WEIGHTS.to_dict(), "verified_boost": 0.2}), encoding="utf-8")
    assert configured_weights({"MATCHING_WEIGHTS_PATH": str(path)}).verified_boost == 0.2
