"""On-site pitches: order, the phone scoring sheet, live ranking, winners and results."""
from __future__ import annotations

import pytest

from catalog_app.challenges import pitches
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import Pitch, PitchScore, Proposal, ProposalStatus, RoundEntryStatus
from catalog_app.models._types import utcnow
from tests.challenges.conftest import all_tens
from tests.conftest import login_as

FULL = {"技术可行性": 10, "应用价值": 10, "团队能力": 10}
HALF = {"技术可行性": 5, "应用价值": 5, "团队能力": 5}
LOW = {"技术可行性": 2, "应用价值": 0, "团队能力": 0}  # 8


@pytest.fixture
def shortlisted(event, create_entry):
    event.shortlist_published_at = utcnow()
    return create_entry(event, status=RoundEntryStatus.SHORTLISTED, position=1, title="焊缝质量在线检测")


def test_rescoring_a_pitch_updates_the_one_row(event, expert, shortlisted, create_pitch):
    pitch = create_pitch(shortlisted)
    pitches.score_pitch(expert, event, pitch.id, HALF, "")
    score = pitches.score_pitch(expert, event, pitch.id, FULL, "演示完整")
    assert db.session.query(PitchScore).count() == 1 and score.total == 100.0 and score.comment == "演示完整"


def test_only_assigned_experts_score_pitches(event, outsider_expert, staff, supplier, shortlisted, create_pitch):
    pitch = create_pitch(shortlisted, organization=supplier.organization)
    for user in (outsider_expert, staff, supplier):
        with pytest.raises(Forbidden):
            pitches.score_pitch(user, event, pitch.id, FULL, "")


def test_pitches_of_demands_not_shortlisted_cannot_be_scored(event, expert, create_entry, create_pitch):
    pitch = create_pitch(create_entry(event, status=RoundEntryStatus.NOT_SELECTED))
    with pytest.raises(Forbidden):
        pitches.score_pitch(expert, event, pitch.id, FULL, "")


def test_live_ranking_orders_by_average_with_shared_ranks(event, expert, create_expert, shortlisted, create_pitch):
    second = create_expert(event)
    first_up, tied, low, silent = (create_pitch(shortlisted, position=n) for n in (1, 2, 3, 4))
    pitches.score_pitch(expert, event, first_up.id, FULL, "")
    pitches.score_pitch(second, event, first_up.id, HALF, "")  # 75
    pitches.score_pitch(expert, event, tied.id, HALF, "")
    pitches.score_pitch(second, event, tied.id, FULL, "")  # 75
    pitches.score_pitch(expert, event, low.id, LOW, "")  # 8
    [row] = pitches.live_ranking(event)
    assert [(item.pitch.id, item.average, item.count, item.rank) for item in row.pitches] == [
        (first_up.id, 75.0, 2, 1), (tied.id, 75.0, 2, 1), (low.id, 8.0, 1, 3), (silent.id, None, 0, 0)]


def test_winners_and_published_results_show_with_the_demand(client, event, staff, expert, shortlisted,
                                                            create_pitch, create_organization):
    winner = create_pitch(shortlisted, organization=create_organization(name="粤智视觉科技有限公司"))
    create_pitch(shortlisted, position=2, organization=create_organization(name="落选供应商有限公司"))
    with pytest.raises(RoundError):
        pitches.publish_results(staff, event)  # no winner yet
    with pytest.raises(Forbidden):
        pitches.set_winner(expert, event, winner.id, True)
    pitches.set_winner(staff, event, winner.id, True)
    detail = client.get(f"/demands/{shortlisted.demand_id}").get_data(as_text=True)
    assert "粤智视觉科技有限公司" not in detail  # not before the results are published
    pitches.publish_results(staff, event)
    detail = client.get(f"/demands/{shortlisted.demand_id}").get_data(as_text=True)
    assert "粤智视觉科技有限公司" in detail and "落选供应商有限公司" not in detail
    assert "粤智视觉科技有限公司" in client.get(f"/events/{event.slug}/round").get_data(as_text=True)
    with pytest.raises(RoundError):
        pitches.set_winner(staff, event, winner.id, False)
    with pytest.raises(RoundError):
        pitches.score_pitch(expert, event, winner.id, FULL, "")


def test_pitches_from_proposals_and_the_running_order(event, staff, shortlisted, create_organization):
    proposers = [create_organization() for _ in range(2)]
    for organization in proposers:
        db.session.add(Proposal(demand_id=shortlisted.demand_id, organization_id=organization.id, approach="方案",
                                status=ProposalStatus.SUBMITTED))
    db.session.add(Proposal(demand_id=shortlisted.demand_id, organization_id=create_organization().id,
                            approach="撤回的方案", status=ProposalStatus.WITHDRAWN))
    db.session.flush()
    assert pitches.add_proposal_pitches(staff, event, shortlisted.id) == 2
    assert pitches.add_proposal_pitches(staff, event, shortlisted.id) == 0
    first, second = sorted(shortlisted.pitches, key=lambda p: p.position)
    assert first.proposal_id is not None and [first.position, second.position] == [1, 2]
    pitches.set_order(staff, event, {shortlisted.id: 3}, {first.id: 2, second.id: 1})
    assert [p.id for p in pitches.pitch_sequence(event)] == [second.id, first.id]
    with pytest.raises(RoundError):
        pitches.set_order(staff, event, {}, {first.id: 0})
    with pytest.raises(Forbidden):
        pitches.set_order(staff, event, {}, {first.id + 1000: 1})


def test_phone_sheet_scores_and_links_the_next_pitch(client, event, expert, shortlisted, create_pitch):
    pitch, following = create_pitch(shortlisted, position=1), create_pitch(shortlisted, position=2)
    login_as(client, expert)
    sheet = client.get(f"/events/{event.slug}/round/score/{pitch.id}")
    assert sheet.status_code == 200
    html = sheet.get_data(as_text=True)
    assert html.count('type="radio"') == 33 and f"/round/score/{following.id}" in html
    response = client.post(f"/events/{event.slug}/round/score/{pitch.id}", data={**all_tens(), "comment": "好"})
    assert response.status_code == 302
    assert db.session.query(PitchScore).one().total == 100.0
    assert client.post(f"/events/{event.slug}/round/score/{pitch.id}", data={"score-0": "x"}).status_code == 400


def test_live_json_for_staff_only(client, event, staff, expert, supplier, shortlisted, create_pitch):
    pitch = create_pitch(shortlisted)
    pitches.score_pitch(expert, event, pitch.id, FULL, "")
    for user in (expert, supplier):
        login_as(client, user)
        assert client.get(f"/events/{event.slug}/round/live.json").status_code == 403
    login_as(client, staff)
    data = client.get(f"/events/{event.slug}/round/live.json").get_json()
    assert data["experts"] == 1
    assert data["demands"][0]["pitches"][0] == {
        "id": pitch.id, "organization": pitch.organization.name, "position": 1, "average": 100.0, "count": 1,
        "rank": 1, "winner": False}
    assert client.get(f"/events/{event.slug}/round/live").status_code == 200


def test_unassigned_expert_cannot_open_the_sheet(client, event, outsider_expert, shortlisted, create_pitch):
    pitch = create_pitch(shortlisted)
    login_as(client, outsider_expert)
    assert client.get(f"/events/{event.slug}/round/score/{pitch.id}").status_code == 403
    assert client.post(f"/events/{event.slug}/round/score/{pitch.id}", data=all_tens()).status_code == 403
    assert db.session.query(Pitch).count() == 1 and db.session.query(PitchScore).count() == 0
