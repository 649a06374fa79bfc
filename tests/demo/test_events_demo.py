"""Demo events (issue 15): the three events, timed relative to the load, with believable figures.

Reads the shared scale-1 demo catalog (`demo_app`, loaded once per module). The figures are
computed here straight from the models by the shared plan's rule (agreements = meetings
where a side recorded an intent + intent agreements linked to the event; declared value =
per meeting the larger amount declared, plus the agreements' amounts), so they do not
depend on the events package being present.
"""
from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.demo import services as demo_services
from catalog_app.demo.accounts import DEMO_ACCOUNTS
from catalog_app.demo.events import (CRITERIA, FOSHAN, HUANGPU, NANSHA, NEWCOMER_EMAILS, Scheduler,
                                     add_demo_events, local_at, slot_times)
from catalog_app.demo.services import load_demo_data
from catalog_app.extensions import db
from catalog_app.models import (Event, EventDemand, EventExpert, EventKind, EventRegistration, EventSide,
                                EventStatus, IntentAgreement, ListingStatus, Meeting, MeetingOutcome,
                                MeetingSeat, MeetingSlot, MeetingStatus, OutcomeKind, Pitch, PitchScore,
                                RegistrationStatus, RoundEntryStatus, ScreeningScore, User, UserRole)
from catalog_app.models._types import utcnow
from tests.conftest import fresh_app


@pytest.fixture(scope="module")
def events(demo_app):
    return {event.slug: event for event in db.session.scalars(sa.select(Event))}


def figures(event: Event) -> dict:
    """The event's figures by the shared plan's rule."""
    now = utcnow()
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.event_id == event.id)
        .options(selectinload(Meeting.outcomes), selectinload(Meeting.slot))).all()
    held = [m for m in meetings if m.status is MeetingStatus.ACCEPTED and m.slot.ends_at < now]
    intents = [[o.amount or 0 for o in m.outcomes if o.outcome is OutcomeKind.INTENT] for m in meetings]
    intents = [amounts for amounts in intents if amounts]
    linked = db.session.scalars(sa.select(IntentAgreement).where(IntentAgreement.event_id == event.id)).all()
    entries = db.session.scalars(sa.select(EventDemand).where(EventDemand.event_id == event.id)).all()
    return {
        "demands": sum(e.status is not RoundEntryStatus.WITHDRAWN for e in entries),
        "shortlisted": sum(e.status is RoundEntryStatus.SHORTLISTED for e in entries),
        "held": len(held),
        "agreements": len(intents) + len(linked),
        "value": sum(max(amounts) for amounts in intents) + sum(a.amount for a in linked),
    }


def org_of(email: str) -> int:
    return db.session.scalar(sa.select(User.organization_id).where(User.email == email))


def test_three_published_events_timed_relative_to_now(events):
    assert {FOSHAN, NANSHA, HUANGPU} <= set(events)
    now = utcnow()
    foshan, nansha, huangpu = events[FOSHAN], events[NANSHA], events[HUANGPU]
    assert all(e.status is EventStatus.PUBLISHED for e in (foshan, nansha, huangpu))
    assert foshan.kind is EventKind.CHALLENGE and nansha.kind is EventKind.MATCHMAKING
    assert timedelta(days=73) < now - foshan.starts_at < timedelta(days=77)
    assert timedelta(days=3) < now - nansha.starts_at < timedelta(days=7)
    assert nansha.ends_at < now and foshan.ends_at < now
    assert timedelta(days=19) < huangpu.starts_at - now < timedelta(days=23)
    assert huangpu.registration_opens_at < now < huangpu.registration_closes_at < huangpu.starts_at
    assert timedelta(days=12) < huangpu.registration_closes_at - now < timedelta(days=16)
    for event in (foshan, nansha, huangpu):
        assert event.title and event.organiser_name and event.venue and event.region_id
        assert event.industries and event.scenarios and event.capacity > 0
        assert event.agenda.count("\n") >= 3
        assert event.criteria.splitlines() == [f"{name} | {weight}" for name, weight in CRITERIA]
    assert sum(weight for _, weight in CRITERIA) == 100
    assert foshan.results_published_at and foshan.shortlist_published_at < foshan.starts_at
    assert huangpu.shortlist_published_at < now and huangpu.results_published_at is None


def test_slots_are_local_office_hours_with_breaks(events):
    for event in events.values():
        slots = db.session.scalars(sa.select(MeetingSlot).where(MeetingSlot.event_id == event.id)
                                   .order_by(MeetingSlot.starts_at)).all()
        assert len(slots) == 17
        day = (slots[0].starts_at + timedelta(hours=8)).date()
        assert slots[0].starts_at == local_at(day, "09:30") and slots[-1].ends_at == local_at(day, "17:00")
        assert all(s.ends_at - s.starts_at == timedelta(minutes=event.meeting_minutes) == timedelta(minutes=20)
                   for s in slots)
        gaps = [b.starts_at - a.ends_at for a, b in zip(slots, slots[1:]) if b.starts_at != a.ends_at]
        assert sorted(gaps) == [timedelta(minutes=10), timedelta(minutes=10), timedelta(minutes=90)]
        assert event.starts_at <= slots[0].starts_at and slots[-1].ends_at <= event.ends_at


def test_no_double_booking_of_a_registration_or_a_table(demo_app):
    accepted = db.session.scalars(sa.select(Meeting).where(Meeting.status == MeetingStatus.ACCEPTED)
                                  .options(selectinload(Meeting.seats), selectinload(Meeting.event))).all()
    assert len(accepted) > 100
    tables, people = Counter(), Counter()
    for meeting in accepted:
        assert sorted(seat.registration_id for seat in meeting.seats) == sorted((meeting.requester_id,
                                                                                  meeting.invitee_id))
        assert all(seat.slot_id == meeting.slot_id for seat in meeting.seats)
        assert 1 <= meeting.table_number <= meeting.event.meeting_tables
        tables[(meeting.slot_id, meeting.table_number)] += 1
        people[(meeting.slot_id, meeting.requester_id)] += 1
        people[(meeting.slot_id, meeting.invitee_id)] += 1
    assert max(tables.values()) == 1 and max(people.values()) == 1
    # Seats only for accepted meetings, and never one for another registration.
    seats = db.session.scalar(sa.select(sa.func.count()).select_from(MeetingSeat))
    assert seats == 2 * len(accepted)


def test_meetings_pair_approved_participants_of_both_sides_of_their_event(demo_app):
    regs = {r.id: r for r in db.session.scalars(sa.select(EventRegistration))}
    for meeting in db.session.scalars(sa.select(Meeting).options(selectinload(Meeting.slot))):
        a, b = regs[meeting.requester_id], regs[meeting.invitee_id]
        assert a.event_id == b.event_id == meeting.event_id == meeting.slot.event_id
        assert {a.side, b.side} == {EventSide.ENTERPRISE, EventSide.SUPPLIER}
        assert a.status is b.status is RegistrationStatus.APPROVED
        assert (meeting.table_number is None) == (meeting.status is not MeetingStatus.ACCEPTED)


def test_the_scheduler_never_double_books_random_requests():
    """Generated requests: whatever is asked, a placed meeting takes a free person and table."""
    rng = random.Random(5)
    for _ in range(30):
        slots, tables = list(range(rng.randint(1, 8))), rng.randint(1, 4)
        scheduler = Scheduler(slots, tables)
        booked = []
        for _ in range(rng.randint(1, 60)):
            a, b = rng.sample(range(12), 2)
            placed = scheduler.place(rng, a, b)
            if placed:
                booked.append((placed, a, b))
        seats = Counter((slot, person) for (slot, _t), a, b in booked for person in (a, b))
        assert not seats or max(seats.values()) == 1
        assert len({placed for placed, _a, _b in booked}) == len(booked)
        assert all(1 <= table <= tables for (_s, table), _a, _b in booked)


def test_past_challenge_figures_as_planned(events):
    event = events[FOSHAN]
    got = figures(event)
    # 500 demands -> screened 111 -> 68 -> 184 agreements (4.3 亿元), scaled to a catalog of 100 demands.
    assert 30 <= got["demands"] <= 45
    assert 15 <= got["shortlisted"] <= 25
    assert 10 <= got["agreements"] <= 16
    assert 1000 <= got["value"] <= 8000
    assert 25 <= got["held"] <= 70


def test_past_challenge_screening_pitches_and_winners(events):
    event = events[FOSHAN]
    expert_ids = set(db.session.scalars(sa.select(EventExpert.user_id).where(EventExpert.event_id == event.id)))
    assert len(expert_ids) >= 2
    entries = db.session.scalars(sa.select(EventDemand).where(EventDemand.event_id == event.id)
                                 .options(selectinload(EventDemand.scores), selectinload(EventDemand.pitches)
                                          .selectinload(Pitch.scores))).all()
    names = {name for name, _ in CRITERIA}
    for entry in entries:
        if entry.status is RoundEntryStatus.WITHDRAWN:
            continue
        assert {s.expert_id for s in entry.scores} == expert_ids
        assert all(set(s.scores) == names and 0 <= s.total <= 100 for s in entry.scores)
    shortlisted = [e for e in entries if e.status is RoundEntryStatus.SHORTLISTED]
    assert sorted(e.position for e in shortlisted) == list(range(1, len(shortlisted) + 1))
    mean = {e.id: sum(s.total for s in e.scores) / len(e.scores) for e in entries if e.scores}
    worst_in = min(mean[e.id] for e in shortlisted)
    assert sum(mean[e.id] > worst_in for e in entries if e.status is RoundEntryStatus.NOT_SELECTED) <= 2
    approved = {r.organization_id for r in db.session.scalars(sa.select(EventRegistration).where(
        EventRegistration.event_id == event.id, EventRegistration.status == RegistrationStatus.APPROVED))}
    winners = 0
    for entry in shortlisted:
        assert len(entry.pitches) >= 2
        assert all(p.organization_id in approved for p in entry.pitches)
        assert all({s.expert_id for s in p.scores} == expert_ids for p in entry.pitches)
        assert sum(p.is_winner for p in entry.pitches) <= 1
        winners += any(p.is_winner for p in entry.pitches)
    assert len(shortlisted) // 2 <= winners <= len(shortlisted)
    assert event.results_published_at is not None


def test_pitches_link_the_pitching_suppliers_own_proposals(demo_app):
    for pitch in db.session.scalars(sa.select(Pitch).where(Pitch.proposal_id.is_not(None))
                                    .options(selectinload(Pitch.proposal), selectinload(Pitch.entry))):
        assert pitch.proposal.organization_id == pitch.organization_id
        assert pitch.proposal.demand_id == pitch.entry.demand_id


def test_past_matchmaking_meetings_held_and_outcomes(events, demo_app):
    event = events[NANSHA]
    got = figures(event)
    assert 60 <= got["held"] <= 120
    assert 8 <= got["agreements"] <= 30 and got["value"] > 0
    outcomes = db.session.scalars(sa.select(MeetingOutcome).join(Meeting).where(Meeting.event_id == event.id)).all()
    kinds = Counter(o.outcome for o in outcomes)
    assert kinds[OutcomeKind.FOLLOW_UP] > kinds[OutcomeKind.INTENT] > 0 and kinds[OutcomeKind.NO_FIT] > 0
    assert all((o.amount is not None) == (o.outcome is OutcomeKind.INTENT) for o in outcomes)
    assert all(o.recorded_at <= utcnow() for o in outcomes)
    # enterprise1 and supplier1 still owe the outcome of a held meeting each: a demo user can enter one.
    for email in ("enterprise1@demo.example.com", "supplier1@demo.example.com"):
        reg = db.session.scalar(sa.select(EventRegistration).where(
            EventRegistration.event_id == event.id, EventRegistration.organization_id == org_of(email)))
        assert reg is not None and reg.status is RegistrationStatus.APPROVED
        mine = db.session.scalars(sa.select(Meeting).where(
            Meeting.status == MeetingStatus.ACCEPTED, sa.or_(Meeting.requester_id == reg.id,
                                                             Meeting.invitee_id == reg.id))
            .options(selectinload(Meeting.outcomes))).all()
        owed = [m for m in mine if all(o.registration_id != reg.id for o in m.outcomes)]
        assert len(mine) >= 3 and 1 <= len(owed) < len(mine)


def test_judged_accounts_not_registered_for_the_upcoming_event(events):
    event = events[HUANGPU]
    registered = set(db.session.scalars(sa.select(EventRegistration.organization_id)
                                        .where(EventRegistration.event_id == event.id)))
    for email in NEWCOMER_EMAILS:
        assert org_of(email) not in registered, email
    statuses = Counter(db.session.scalars(sa.select(EventRegistration.status)
                                          .where(EventRegistration.event_id == event.id)))
    assert statuses[RegistrationStatus.APPROVED] >= 15 and statuses[RegistrationStatus.PENDING] >= 2


def test_upcoming_event_round_ready_for_the_expert(events):
    event = events[HUANGPU]
    entries = db.session.scalars(sa.select(EventDemand).where(EventDemand.event_id == event.id)
                                 .options(selectinload(EventDemand.pitches))).all()
    shortlisted = [e for e in entries if e.status is RoundEntryStatus.SHORTLISTED]
    assert len(shortlisted) >= 5
    assert sorted(e.position for e in shortlisted) == list(range(1, len(shortlisted) + 1))
    assert all(len(e.pitches) >= 2 and [p.position for p in e.pitches] == list(range(1, len(e.pitches) + 1))
               for e in shortlisted)
    pitch_ids = [p.id for e in shortlisted for p in e.pitches]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PitchScore)
                             .where(PitchScore.pitch_id.in_(pitch_ids))) == 0
    assert not any(p.is_winner for e in shortlisted for p in e.pitches)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScreeningScore)
                             .join(EventDemand).where(EventDemand.event_id == event.id)) > 0
    # Meetings booked so far are in the future: nothing held, no outcomes.
    assert figures(event)["held"] == 0


def test_experts_exist_and_are_assigned(events):
    documented = [a for a in DEMO_ACCOUNTS if a.role is UserRole.EXPERT]
    assert len(documented) >= 2
    experts = db.session.scalars(sa.select(User).where(User.email.in_([a.email for a in documented]))).all()
    assert len(experts) == len(documented)
    assert all(u.role is UserRole.EXPERT and u.organization_id is None and u.display_name for u in experts)
    ids = {u.id for u in experts}
    for slug in (FOSHAN, HUANGPU):
        assigned = set(db.session.scalars(sa.select(EventExpert.user_id)
                                          .where(EventExpert.event_id == events[slug].id)))
        assert assigned == ids


def test_registrations_bring_their_own_published_listings(demo_app):
    regs = db.session.scalars(sa.select(EventRegistration).options(selectinload(EventRegistration.listings))).all()
    suppliers = [r for r in regs if r.side is EventSide.SUPPLIER]
    assert suppliers and all(r.listings for r in suppliers)
    for reg in suppliers:
        assert all(ref.organization_id == reg.organization_id and ref.status is ListingStatus.PUBLISHED
                   for ref in reg.listings)
    assert all(not r.listings for r in regs if r.side is EventSide.ENTERPRISE)
    users = dict(db.session.execute(sa.select(User.id, User.organization_id)).all())
    assert all(users[r.attendee_id] == r.organization_id for r in regs)
    assert all((r.decided_at is None) == (r.status is RegistrationStatus.PENDING) for r in regs)


def test_slot_times_cover_the_day_in_local_time():
    day = utcnow().date()
    slots = slot_times(day)
    assert [(s + timedelta(hours=8)).strftime("%H:%M") for s, _ in slots[:5]] == [
        "09:30", "09:50", "10:10", "10:30", "11:00"]


def test_a_catalog_agreement_signed_after_the_challenge_is_linked_to_it(monkeypatch):
    """An intent agreement recorded after the challenge on a demand of its round counts for the
    event (event_id), its supplier having won that demand's pitch; the total stays as planned."""
    app = fresh_app()
    with app.app_context():
        monkeypatch.setattr(demo_services, "add_demo_events", lambda rng, now: {})
        load_demo_data(scale=1, seed=7)
        members = set(db.session.scalars(sa.select(User.organization_id)))
        agreement = next(a for a in db.session.scalars(sa.select(IntentAgreement).order_by(IntentAgreement.id))
                         if a.proposal.organization_id in members and a.proposal.demand.organization_id in members)
        now = utcnow()
        agreement.proposal.demand.published_at = now - timedelta(days=200)
        agreement.created_at = now - timedelta(days=40)
        db.session.commit()
        add_demo_events(random.Random(3), now)
        db.session.commit()
        event = db.session.scalar(sa.select(Event).where(Event.slug == FOSHAN))
        assert db.session.get(IntentAgreement, agreement.id).event_id == event.id
        entry = db.session.scalar(sa.select(EventDemand).where(EventDemand.event_id == event.id,
                                                               EventDemand.demand_id == agreement.demand_id))
        assert entry.status is RoundEntryStatus.SHORTLISTED
        assert [p.organization_id for p in entry.pitches if p.is_winner] == [agreement.proposal.organization_id]
        assert 10 <= figures(event)["agreements"] <= 16
        # Loading again leaves the events alone (their slugs are taken).
        assert add_demo_events(random.Random(4), now) == {}
        db.session.remove()
