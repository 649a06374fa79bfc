"""The round's queries on PostgreSQL: entries, screening ranking, pitch scores (unique per
pitch and expert), live ranking, the pages that read them, and the demand's results."""
from __future__ import annotations

import pytest

from catalog_app.challenges import entries, pitches, screening
from catalog_app.extensions import db
from catalog_app.models import PitchScore, RoundEntryStatus
from tests.conftest import login_as

pytestmark = pytest.mark.postgres

FULL = {"技术可行性": 10, "应用价值": 10, "团队能力": 10}
HALF = {"技术可行性": 5, "应用价值": 5, "团队能力": 5}


@pytest.fixture
def app(pg_app):
    """Every fixture of this module on PostgreSQL."""
    return pg_app


def test_round_from_entry_to_results_on_postgres(client, event, staff, expert, enterprise, create_demand,
                                                 create_expert, create_pitch):
    second = create_expert(event)
    first_demand, second_demand = (create_demand(organization=enterprise.organization) for _ in range(2))
    first = entries.enter_demand(enterprise, event, first_demand.id)
    other = entries.enter_demand(enterprise, event, second_demand.id)
    screening.score_entry(expert, event, first.id, FULL, "")
    screening.score_entry(second, event, first.id, HALF, "")
    screening.score_entry(expert, event, other.id, HALF, "")
    assert [(item.entry.id, item.average) for item in screening.screening_ranking(event)] == [
        (first.id, 75.0), (other.id, 50.0)]
    assert entries.round_counts(event) == entries.RoundCounts(entered=2, shortlisted=0, pitches=0)
    screening.decide_entry(staff, event, first.id, RoundEntryStatus.SHORTLISTED)
    screening.publish_shortlist(staff, event)
    low, high = create_pitch(first, position=1), create_pitch(first, position=2)
    pitches.score_pitch(expert, event, low.id, HALF, "")
    pitches.score_pitch(expert, event, high.id, HALF, "")
    pitches.score_pitch(expert, event, high.id, FULL, "")  # re-scoring: still one row
    assert db.session.query(PitchScore).count() == 2
    [row] = pitches.live_ranking(event)
    assert [(item.pitch.id, item.rank) for item in row.pitches] == [(high.id, 1), (low.id, 2)]
    login_as(client, staff)
    assert client.get(f"/events/{event.slug}/round/live.json").get_json()["demands"][0]["pitches"][0]["id"] == high.id
    assert client.get(f"/events/{event.slug}/round/manage").status_code == 200
    pitches.set_winner(staff, event, high.id, True)
    pitches.publish_results(staff, event)
    assert high.organization.name in client.get(f"/demands/{first_demand.id}").get_data(as_text=True)
    login_as(client, expert)
    assert event.title in client.get("/workbench").get_data(as_text=True)
