"""Expert screening: only assigned experts score, scores are private, the ranking averages
the experts' weighted totals, and the public sees the shortlist only once published."""
from __future__ import annotations

import pytest

from catalog_app.challenges import screening
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.extensions import db
from catalog_app.models import RoundEntryStatus, ScreeningScore
from tests.challenges.conftest import all_tens
from tests.conftest import login_as

SCORES_8_5_0 = {"技术可行性": 8, "应用价值": 5, "团队能力": 0}  # 47 / 100
FULL = {"技术可行性": 10, "应用价值": 10, "团队能力": 10}


def test_assigned_expert_scores_and_rescoring_replaces(event, expert, create_entry):
    entry = create_entry(event)
    score = screening.score_entry(expert, event, entry.id, SCORES_8_5_0, "数据基础好")
    assert score.total == 47.0 and score.comment == "数据基础好"
    screening.score_entry(expert, event, entry.id, FULL, "")
    assert db.session.query(ScreeningScore).count() == 1
    assert db.session.query(ScreeningScore).one().total == 100.0


def test_only_assigned_experts_score(event, outsider_expert, supplier, staff, enterprise, create_entry):
    entry = create_entry(event)
    for user in (outsider_expert, supplier, staff, enterprise):
        with pytest.raises(Forbidden):
            screening.score_entry(user, event, entry.id, FULL, "")
    assert db.session.query(ScreeningScore).count() == 0


def test_an_expert_of_another_event_cannot_score_this_one(create_event, create_expert, event, create_entry):
    other_expert = create_expert(create_event())
    entry = create_entry(event)
    with pytest.raises(Forbidden):
        screening.score_entry(other_expert, event, entry.id, FULL, "")


def test_scores_out_of_range_are_refused(event, expert, create_entry):
    entry = create_entry(event)
    with pytest.raises(RoundError):
        screening.score_entry(expert, event, entry.id, {**FULL, "应用价值": 11}, "")


def test_no_criteria_no_scoring(create_event, create_expert, create_entry):
    event = create_event(criteria="")
    expert = create_expert(event)
    with pytest.raises(RoundError):
        screening.score_entry(expert, event, create_entry(event).id, FULL, "")


def test_ranking_averages_experts_best_first(event, expert, create_expert, create_entry):
    second = create_expert(event)
    low, high, unscored = create_entry(event), create_entry(event), create_entry(event)
    screening.score_entry(expert, event, low.id, SCORES_8_5_0, "")  # 47
    screening.score_entry(second, event, low.id, FULL, "")  # 100 -> average 73.5
    screening.score_entry(expert, event, high.id, FULL, "")  # 100
    ranking = screening.screening_ranking(event)
    assert [item.entry.id for item in ranking] == [high.id, low.id, unscored.id]
    assert [(item.average, item.count) for item in ranking] == [(100.0, 1), (73.5, 2), (None, 0)]


def test_publishing_the_shortlist(event, staff, create_entry):
    chosen, left = create_entry(event), create_entry(event)
    with pytest.raises(RoundError):
        screening.publish_shortlist(staff, event)  # nothing shortlisted yet
    screening.decide_entry(staff, event, chosen.id, RoundEntryStatus.SHORTLISTED)
    assert screening.publish_shortlist(staff, event) == 1
    assert event.shortlist_published_at is not None
    assert left.status is RoundEntryStatus.NOT_SELECTED and chosen.position == 1


def test_only_staff_decide(event, expert, enterprise, create_entry):
    entry = create_entry(event)
    for user in (expert, enterprise):
        with pytest.raises(Forbidden):
            screening.decide_entry(user, event, entry.id, RoundEntryStatus.SHORTLISTED)
        with pytest.raises(Forbidden):
            screening.publish_shortlist(user, event)


def test_public_sees_counts_before_and_the_shortlist_after_publishing(client, event, staff, create_entry):
    chosen = create_entry(event, title="锂电池极片表面缺陷检测")
    create_entry(event, title="不入围的需求标题")
    screening.decide_entry(staff, event, chosen.id, RoundEntryStatus.SHORTLISTED)
    page = client.get(f"/events/{event.slug}/round").get_data(as_text=True)
    assert "锂电池极片表面缺陷检测" not in page and "不入围的需求标题" not in page
    assert "<dd>2</dd>" in page  # demands entered
    screening.publish_shortlist(staff, event)
    page = client.get(f"/events/{event.slug}/round").get_data(as_text=True)
    assert "锂电池极片表面缺陷检测" in page and "不入围的需求标题" not in page


def test_screening_scores_are_for_staff_and_experts_only(client, event, expert, supplier, enterprise, staff,
                                                         create_entry):
    entry = create_entry(event)
    screening.score_entry(expert, event, entry.id, SCORES_8_5_0, "专家的私密评语")
    for user in (supplier, enterprise):
        login_as(client, user)
        for path in ("manage", "screening", f"screening/{entry.id}", "live", "live.json"):
            assert client.get(f"/events/{event.slug}/round/{path}").status_code == 403, (user.role, path)
        assert "专家的私密评语" not in client.get(f"/events/{event.slug}/round").get_data(as_text=True)
    login_as(client, staff)
    page = client.get(f"/events/{event.slug}/round/manage").get_data(as_text=True)
    assert "专家的私密评语" in page and "47" in page


def test_expert_screens_through_the_form(client, event, expert, create_entry):
    entry = create_entry(event)
    login_as(client, expert)
    assert client.get(f"/events/{event.slug}/round/screening").status_code == 200
    sheet = client.get(f"/events/{event.slug}/round/screening/{entry.id}").get_data(as_text=True)
    assert sheet.count('name="score-0"') == 11
    response = client.post(f"/events/{event.slug}/round/screening/{entry.id}", data={**all_tens(), "comment": "好"})
    assert response.status_code == 302
    assert db.session.query(ScreeningScore).one().total == 100.0
    response = client.post(f"/events/{event.slug}/round/screening/{entry.id}", data={"score-0": "12"})
    assert response.status_code == 400 and db.session.query(ScreeningScore).one().total == 100.0


def test_unassigned_expert_gets_403_on_the_screening_pages(client, event, outsider_expert, create_entry):
    entry = create_entry(event)
    login_as(client, outsider_expert)
    assert client.get(f"/events/{event.slug}/round/screening").status_code == 403
    assert client.post(f"/events/{event.slug}/round/screening/{entry.id}", data=all_tens()).status_code == 403
