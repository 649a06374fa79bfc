"""What the round shows on other features' pages, through template globals.

The events package must not import this one (it sits beside it), so the event page asks
`challenge_panel(event)` when it is defined (rendered here from challenges/_event_panel.html);
the demand page includes challenges/_demand_results.html, which asks
`challenge_results(demand)`; the expert's workbench lists `expert_events()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa
from flask import render_template, request, url_for
from markupsafe import Markup
from werkzeug.routing import BuildError

from catalog_app.challenges import entries, experts, permissions, pitches
from catalog_app.extensions import db
from catalog_app.models import Demand, Event, EventKind, Pitch, PitchScore, ScreeningScore, User


@dataclass(frozen=True)
class ExpertTodo:
    event: Event
    to_screen: int
    to_score: int


def event_page_url(event: Event) -> str:
    """The event's public page (blueprint `events`, /events/<slug>), whoever serves it."""
    try:
        return url_for("events.detail", slug=event.slug)
    except BuildError:
        return f"{request.script_root}/events/{quote(event.slug)}"


def expert_todo(expert: User, event: Event) -> ExpertTodo:
    """How many demands the expert has still to screen and pitches still to score."""
    to_screen = to_score = 0
    if not permissions.shortlist_is_public(event):
        screenable = [entry.id for entry in entries.screenable_entries(event)]
        done = db.session.scalar(sa.select(sa.func.count(ScreeningScore.id)).where(
            ScreeningScore.expert_id == expert.id, ScreeningScore.entry_id.in_(screenable))) if screenable else 0
        to_screen = len(screenable) - int(done or 0)
    elif not permissions.results_are_public(event):
        pitch_ids = [pitch.id for pitch in pitches.pitch_sequence(event)]
        done = db.session.scalar(sa.select(sa.func.count(PitchScore.id)).where(
            PitchScore.expert_id == expert.id, PitchScore.pitch_id.in_(pitch_ids))) if pitch_ids else 0
        to_score = len(pitch_ids) - int(done or 0)
    return ExpertTodo(event=event, to_screen=to_screen, to_score=to_score)


def expert_event_rows(user) -> list[ExpertTodo]:
    return [expert_todo(user, event) for event in experts.assigned_events(user)]


def public_winners(event: Event) -> list[tuple[object, list[Pitch]]]:
    """After the results are published: each shortlisted demand with its winning pitches."""
    if not permissions.results_are_public(event):
        return []
    return [(entry, [pitch for pitch in sorted(entry.pitches, key=lambda p: (p.position, p.id)) if pitch.is_winner])
            for entry in pitches.shortlisted_entries(event) if entry.demand.is_public]


def render_event_panel(user, event: Event) -> Markup:
    """Round figures and the viewer's next step; nothing for an event without a round."""
    counts = entries.round_counts(event)
    is_expert = permissions.can_score(user, event)
    can_manage = permissions.can_manage_round(user, event)
    if event.kind is not EventKind.CHALLENGE and not counts.entered and not (is_expert or can_manage):
        return Markup("")
    return Markup(render_template(
        "challenges/_event_panel.html", event=event, counts=counts, can_manage=can_manage,
        todo=expert_todo(user, event) if is_expert else None,
        can_enter=permissions.can_enter_round(user, event)))


def demand_results(demand: Demand):
    """For challenges/_demand_results.html: (event, winning pitches) per published round."""
    return pitches.demand_results(demand)
