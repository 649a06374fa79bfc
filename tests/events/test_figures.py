"""Per-event figures on a small fixture, exactly as the shared plan defines them, computed
for a list of events in a fixed number of statements; shown on the event page and /stats."""
from __future__ import annotations

from datetime import timedelta

import pytest

from catalog_app.events import figures
from catalog_app.extensions import db
from catalog_app.models import (
    EventDemand,
    EventKind,
    EventStatus,
    IntentAgreement,
    Meeting,
    MeetingOutcome,
    MeetingSlot,
    MeetingStatus,
    OutcomeKind,
    Proposal,
    ProposalStatus,
    RegistrationStatus,
    RoundEntryStatus,
    UserRole,
)


@pytest.fixture
def past_event(create_event, approve, create_user, create_demand):
    """A challenge day five days ago: 3 round demands (+1 withdrawn), 2 enterprises and
    3 suppliers approved (+1 pending), 4 accepted meetings of which 3 in slots that ended
    (one slot is tomorrow: rescheduled), outcomes INTENT 80/120 on one meeting, INTENT 50
    and FOLLOW_UP on another, NO_FIT on a third; one proposal-based agreement of 200."""
    event = create_event(days=-5, kind=EventKind.CHALLENGE, title="佛山揭榜比拼")
    demands = [create_demand() for _ in range(4)]
    for demand, status in zip(demands, [RoundEntryStatus.ENTERED, RoundEntryStatus.SHORTLISTED,
                                        RoundEntryStatus.NOT_SELECTED, RoundEntryStatus.WITHDRAWN]):
        db.session.add(EventDemand(event_id=event.id, demand_id=demand.id, status=status))
    enterprises = [approve(event, create_user(role=UserRole.ENTERPRISE)) for _ in range(2)]
    suppliers = [approve(event, create_user(role=UserRole.SUPPLIER)) for _ in range(3)]
    approve(event, create_user(role=UserRole.SUPPLIER), status=RegistrationStatus.PENDING)

    ended = MeetingSlot(event_id=event.id, starts_at=event.starts_at, ends_at=event.starts_at + timedelta(minutes=20))
    later = MeetingSlot(event_id=event.id, starts_at=event.starts_at + timedelta(days=6),
                        ends_at=event.starts_at + timedelta(days=6, minutes=20))
    db.session.add_all([ended, later])
    db.session.flush()

    def meeting(enterprise, supplier, slot, status=MeetingStatus.ACCEPTED, table=None):
        row = Meeting(event_id=event.id, slot_id=slot.id, requester_id=supplier.id, invitee_id=enterprise.id,
                      status=status, table_number=table)
        db.session.add(row)
        db.session.flush()
        return row

    first = meeting(enterprises[0], suppliers[0], ended, table=1)
    second = meeting(enterprises[0], suppliers[1], ended, table=2)
    third = meeting(enterprises[1], suppliers[2], ended, table=3)
    meeting(enterprises[1], suppliers[0], later, table=1)  # accepted, not yet held
    meeting(enterprises[1], suppliers[1], ended, status=MeetingStatus.DECLINED)
    db.session.add_all([
        MeetingOutcome(meeting_id=first.id, registration_id=enterprises[0].id, outcome=OutcomeKind.INTENT, amount=80),
        MeetingOutcome(meeting_id=first.id, registration_id=suppliers[0].id, outcome=OutcomeKind.INTENT, amount=120),
        MeetingOutcome(meeting_id=second.id, registration_id=suppliers[1].id, outcome=OutcomeKind.INTENT, amount=50),
        MeetingOutcome(meeting_id=second.id, registration_id=enterprises[0].id, outcome=OutcomeKind.FOLLOW_UP),
        MeetingOutcome(meeting_id=third.id, registration_id=suppliers[2].id, outcome=OutcomeKind.NO_FIT),
    ])
    proposal = Proposal(demand_id=demands[1].id, organization_id=suppliers[0].organization_id, approach="方案",
                        status=ProposalStatus.AGREED)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(IntentAgreement(proposal_id=proposal.id, demand_id=demands[1].id, amount=200, event_id=event.id))
    db.session.commit()
    return event


def test_figures_follow_the_shared_definitions(app, past_event):
    result = figures.event_figures(past_event)
    assert (result.demands, result.enterprises, result.suppliers) == (3, 2, 3)
    assert result.participants == 5
    assert result.meetings_held == 3
    assert result.agreements == 3  # two meetings with an INTENT side + one proposal-based agreement
    assert result.declared_value == 120 + 50 + 200  # the larger side per meeting, plus the agreement


def test_an_event_without_activity_has_zeros(app, create_event):
    event = create_event()
    result = figures.event_figures(event)
    assert result.is_empty and result.declared_value == 0


def test_figures_for_a_list_issue_a_fixed_number_of_statements(app, past_event, create_event, count_queries):
    few = [past_event.id, create_event().id]
    many = few + [create_event(days=-n).id for n in range(2, 12)]
    db.session.commit()
    with count_queries() as small:
        figures.figures_for(few)
    with count_queries() as large:
        result = figures.figures_for(many)
    assert small.count == large.count <= 5
    assert result[past_event.id].declared_value == 370


def test_event_page_and_stats_show_the_figures(client, past_event, create_event):
    create_event(days=-1, status=EventStatus.DRAFT, title="未发布的草稿活动")
    db.session.commit()
    page = client.get(f"/events/{past_event.slug}").get_data(as_text=True)
    assert "已举行洽谈" in page and "370 万元" in page
    stats = client.get("/stats/").get_data(as_text=True)
    assert "佛山揭榜比拼" in stats and "370 万元" in stats
    assert "未发布的草稿活动" not in stats
    listing = client.get("/events").get_data(as_text=True)
    assert "洽谈 3 场" in listing and "意向协议 3 项" in listing
