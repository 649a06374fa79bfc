"""The on-site pitch (现场赛): pitch order, expert scores, live ranking, winners, results.

Pitches belong to shortlisted demands. Staff create them from the suppliers that proposed
to the demand (catalog_app.proposals) or by hand from the event's approved suppliers, then
set the order of demands (`EventDemand.position`) and of pitches within each demand. Experts
score each pitch on the phone sheet; scoring again replaces their marks (unique per pitch
and expert). The ranking averages the experts' weighted totals.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from catalog_app.challenges import permissions
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.challenges.screening import average, rank_key, record_score
from catalog_app.extensions import db
from catalog_app.models import (
    Demand,
    Event,
    EventDemand,
    EventRegistration,
    EventSide,
    EventStatus,
    Organization,
    Pitch,
    PitchScore,
    Proposal,
    ProposalStatus,
    RegistrationStatus,
    RoundEntryStatus,
    User,
)
from catalog_app.models._types import utcnow

POSITION_MAX = 999


@dataclass
class RankedPitch:
    pitch: Pitch
    average: float | None
    count: int
    rank: int = 0


@dataclass
class DemandRanking:
    entry: EventDemand
    pitches: list[RankedPitch] = field(default_factory=list)


def shortlisted_entries(event: Event) -> list[EventDemand]:
    """Shortlisted demands in pitch order, their pitches and pitching organizations loaded."""
    return list(db.session.scalars(
        sa.select(EventDemand).where(EventDemand.event_id == event.id,
                                     EventDemand.status == RoundEntryStatus.SHORTLISTED)
        .options(joinedload(EventDemand.demand).joinedload(Demand.organization),
                 selectinload(EventDemand.pitches).joinedload(Pitch.organization),
                 selectinload(EventDemand.pitches).selectinload(Pitch.scores))
        .order_by(EventDemand.position.is_(None), EventDemand.position, EventDemand.id)).unique())


def pitch_sequence(event: Event) -> list[Pitch]:
    """Every pitch of the day in running order: demands by position, pitches by position."""
    return [pitch for entry in shortlisted_entries(event)
            for pitch in sorted(entry.pitches, key=lambda p: (p.position, p.id))]


def pitch_of(event: Event, pitch_id: int) -> Pitch | None:
    pitch = db.session.get(Pitch, pitch_id)
    if pitch is None or pitch.entry.event_id != event.id or pitch.entry.status is not RoundEntryStatus.SHORTLISTED:
        return None
    return pitch


def candidate_suppliers(event: Event, entry: EventDemand) -> list[tuple[Organization, Proposal | None]]:
    """Who could pitch for `entry` and does not yet: suppliers with a live proposal to the
    demand (with it), then the event's approved suppliers (by hand, without one)."""
    pitching = {pitch.organization_id for pitch in entry.pitches}
    proposals = db.session.scalars(
        sa.select(Proposal).where(Proposal.demand_id == entry.demand_id,
                                  Proposal.status != ProposalStatus.WITHDRAWN)
        .options(joinedload(Proposal.organization)).order_by(Proposal.submitted_at, Proposal.id)).all()
    candidates: list[tuple[Organization, Proposal | None]] = []
    for proposal in proposals:
        if proposal.organization_id not in pitching:
            pitching.add(proposal.organization_id)
            candidates.append((proposal.organization, proposal))
    registered = db.session.scalars(
        sa.select(Organization).join(EventRegistration, EventRegistration.organization_id == Organization.id)
        .where(EventRegistration.event_id == event.id, EventRegistration.side == EventSide.SUPPLIER,
               EventRegistration.status == RegistrationStatus.APPROVED)
        .order_by(Organization.name)).all()
    candidates.extend((organization, None) for organization in registered if organization.id not in pitching)
    return candidates


def _manageable_entry(actor: User, event: Event, entry_id: int) -> EventDemand:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    entry = db.session.get(EventDemand, entry_id)
    if entry is None or entry.event_id != event.id or entry.status is not RoundEntryStatus.SHORTLISTED:
        raise Forbidden()
    return entry


def add_pitch(actor: User, event: Event, entry_id: int, organization_id: int) -> Pitch:
    """A pitch for one of the candidates; its proposal is linked when it has one."""
    entry = _manageable_entry(actor, event, entry_id)
    candidates = {organization.id: proposal for organization, proposal in candidate_suppliers(event, entry)}
    if organization_id not in candidates:
        raise RoundError(_("Choose a supplier from the list."), "organization_id")
    proposal = candidates[organization_id]
    pitch = Pitch(entry_id=entry.id, organization_id=organization_id,
                  proposal_id=proposal.id if proposal is not None else None,
                  position=max((p.position for p in entry.pitches), default=0) + 1)
    db.session.add(pitch)
    db.session.commit()
    return pitch


def add_proposal_pitches(actor: User, event: Event, entry_id: int) -> int:
    """A pitch for every supplier that proposed to the demand and has none yet."""
    entry = _manageable_entry(actor, event, entry_id)
    position = max((p.position for p in entry.pitches), default=0)
    added = 0
    for organization, proposal in candidate_suppliers(event, entry):
        if proposal is None:
            continue
        position += 1
        added += 1
        db.session.add(Pitch(entry_id=entry.id, organization_id=organization.id, proposal_id=proposal.id,
                             position=position))
    db.session.commit()
    return added


def remove_pitch(actor: User, event: Event, pitch_id: int) -> None:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    pitch = pitch_of(event, pitch_id)
    if pitch is None:
        raise Forbidden()
    if permissions.results_are_public(event):
        raise RoundError(_("The results are published: pitches can no longer change."))
    db.session.delete(pitch)
    db.session.commit()


def set_order(actor: User, event: Event, entry_positions: dict[int, int], pitch_positions: dict[int, int]) -> None:
    """Positions as typed (1..999); ids that are not this event's are refused as a whole."""
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    entries = {entry.id: entry for entry in shortlisted_entries(event)}
    pitches = {pitch.id: pitch for entry in entries.values() for pitch in entry.pitches}
    if not set(entry_positions) <= set(entries) or not set(pitch_positions) <= set(pitches):
        raise Forbidden()
    for value in [*entry_positions.values(), *pitch_positions.values()]:
        if not 1 <= value <= POSITION_MAX:
            raise RoundError(_("Positions are whole numbers from 1 to %(max)d.", max=POSITION_MAX))
    for entry_id, position in entry_positions.items():
        entries[entry_id].position = position
    for pitch_id, position in pitch_positions.items():
        pitches[pitch_id].position = position
    db.session.commit()


def own_pitch_score(expert: User, pitch: Pitch) -> PitchScore | None:
    return db.session.scalar(sa.select(PitchScore).where(PitchScore.pitch_id == pitch.id,
                                                         PitchScore.expert_id == expert.id))


def score_pitch(expert: User, event: Event, pitch_id: int, raw_scores: dict, comment: str) -> PitchScore:
    if not permissions.can_score(expert, event):
        raise Forbidden()
    pitch = pitch_of(event, pitch_id)
    if pitch is None:
        raise Forbidden()
    if permissions.results_are_public(event):
        raise RoundError(_("The results are published: scoring is closed."))
    score = own_pitch_score(expert, pitch)
    if score is None:
        score = PitchScore(pitch_id=pitch.id, expert_id=expert.id)
    return record_score(score, event, raw_scores, comment)


def rank_pitches(pitches: list[Pitch]) -> list[RankedPitch]:
    """Best average first; equal averages share a rank (1, 2, 2, 4); unscored pitches unranked."""
    ranked = sorted((RankedPitch(pitch=pitch, average=average([s.total for s in pitch.scores]),
                                 count=len(pitch.scores)) for pitch in pitches),
                    key=lambda item: rank_key(item.average, item.count, item.pitch.position, item.pitch.id))
    for index, item in enumerate(ranked):
        if item.average is None:
            continue
        previous = ranked[index - 1] if index else None
        item.rank = previous.rank if previous is not None and previous.average == item.average else index + 1
    return ranked


def live_ranking(event: Event) -> list[DemandRanking]:
    return [DemandRanking(entry=entry, pitches=rank_pitches(entry.pitches)) for entry in shortlisted_entries(event)]


def set_winner(actor: User, event: Event, pitch_id: int, is_winner: bool) -> Pitch:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    pitch = pitch_of(event, pitch_id)
    if pitch is None:
        raise Forbidden()
    if permissions.results_are_public(event):
        raise RoundError(_("The results are published: winners can no longer change."))
    pitch.is_winner = is_winner
    db.session.commit()
    return pitch


def publish_results(actor: User, event: Event) -> None:
    if not permissions.can_manage_round(actor, event):
        raise Forbidden()
    if permissions.results_are_public(event):
        raise RoundError(_("The results are already published."))
    if not any(pitch.is_winner for pitch in pitch_sequence(event)):
        raise RoundError(_("Mark at least one winner before publishing the results."))
    event.results_published_at = utcnow()
    db.session.commit()


def expert_sheet(expert: User, event: Event) -> list[tuple[Pitch, PitchScore | None]]:
    """The expert's running order with the expert's own score of each pitch, if any."""
    sequence = pitch_sequence(event)
    mine = {score.pitch_id: score for pitch in sequence for score in pitch.scores if score.expert_id == expert.id}
    return [(pitch, mine.get(pitch.id)) for pitch in sequence]


def next_pitch(expert: User, event: Event, pitch: Pitch) -> Pitch | None:
    """The next pitch the expert has not scored, after this one in running order (wrapping),
    or simply the next one when every pitch is scored."""
    sheet = expert_sheet(expert, event)
    order = [item for item, _score in sheet]
    if pitch not in order:
        return None
    index = order.index(pitch)
    later = sheet[index + 1:] + sheet[:index]
    unscored = [item for item, score in later if score is None]
    if unscored:
        return unscored[0]
    return order[index + 1] if index + 1 < len(order) else None


def demand_results(demand: Demand) -> list[tuple[Event, list[Pitch]]]:
    """Published round results that involve `demand`: each event with its winning pitches."""
    rows = db.session.scalars(
        sa.select(EventDemand).join(EventDemand.event)
        .where(EventDemand.demand_id == demand.id, EventDemand.status == RoundEntryStatus.SHORTLISTED,
               Event.status == EventStatus.PUBLISHED, Event.results_published_at.is_not(None))
        .options(joinedload(EventDemand.event),
                 selectinload(EventDemand.pitches).joinedload(Pitch.organization))).unique().all()
    return [(row.event, [pitch for pitch in row.pitches if pitch.is_winner]) for row in rows]
