"""The yearly "typical scenarios" lists that moderators curate (典型场景, TOP30).

Use-cases check `can_moderate` first, write an audit entry in the same transaction as
the change, and commit once. Reading the lists is public.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from catalog_app import audit
from catalog_app.extensions import db
from catalog_app.models import Scenario, ScenarioSelection, User
from catalog_app.moderation.permissions import can_moderate

FIRST_YEAR = 2015
LAST_YEAR = 2100


class SelectionError(Exception):
    """The entry cannot be added (already on the list, unknown scenario)."""


@dataclass
class TypicalList:
    year: int
    entries: list[ScenarioSelection]
    years: list[int]

    @property
    def top_entries(self) -> list[ScenarioSelection]:
        return [entry for entry in self.entries if entry.is_top]


def selection_years() -> list[int]:
    """Years that have a list, newest first."""
    return list(db.session.scalars(
        sa.select(ScenarioSelection.year).distinct().order_by(ScenarioSelection.year.desc())))


def latest_year() -> int | None:
    return db.session.scalar(sa.select(sa.func.max(ScenarioSelection.year)))


def typical_list(year: int) -> TypicalList:
    """The year's entries, TOP entries first, then in the order of the reference list.

    :raises NotFound: for a year outside the range a list can have.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound()
    entries = db.session.scalars(
        sa.select(ScenarioSelection)
        .join(ScenarioSelection.scenario)
        .where(ScenarioSelection.year == year)
        .options(selectinload(ScenarioSelection.scenario).selectinload(Scenario.stage))
        .order_by(ScenarioSelection.is_top.desc(), Scenario.stage_id, Scenario.position, Scenario.id)
    ).all()
    return TypicalList(year=year, entries=list(entries), years=selection_years())


def add_selection(actor: User, year: int, scenario_id: int, citation: str, is_top: bool = False) -> ScenarioSelection:
    """Put a scenario on the year's list with the reason it was chosen.

    :raises Forbidden: unless the actor moderates.
    :raises SelectionError: for an unknown scenario or one already on that year's list.
    """
    if not can_moderate(actor):
        raise Forbidden()
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound()
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None:
        raise SelectionError("unknown scenario")
    exists = db.session.scalar(sa.select(ScenarioSelection.id).where(
        ScenarioSelection.year == year, ScenarioSelection.scenario_id == scenario_id))
    if exists is not None:
        raise SelectionError("already selected")
    selection = ScenarioSelection(year=year, scenario_id=scenario.id, citation=citation.strip(), is_top=is_top,
                                  added_by_id=actor.id)
    db.session.add(selection)
    db.session.flush()
    audit.record(actor, "scenario_selection.add", object_type="scenario_selection",
                      object_id=selection.id, year=year, scenario=scenario.slug,
                      is_top=is_top, citation=selection.citation)
    db.session.commit()
    return selection


def remove_selection(actor: User, year: int, selection_id: int) -> None:
    """Take an entry off the year's list; the audit entry keeps what it said.

    :raises Forbidden: unless the actor moderates.
    :raises NotFound: when that year's list has no such entry.
    """
    if not can_moderate(actor):
        raise Forbidden()
    selection = db.session.scalar(
        sa.select(ScenarioSelection).where(ScenarioSelection.id == selection_id, ScenarioSelection.year == year)
        .options(selectinload(ScenarioSelection.scenario)))
    if selection is None:
        raise NotFound()
    audit.record(actor, "scenario_selection.remove", object_type="scenario_selection",
                      object_id=selection.id, year=year, scenario=selection.scenario.slug,
                      is_top=selection.is_top, citation=selection.citation)
    db.session.delete(selection)
    db.session.commit()
