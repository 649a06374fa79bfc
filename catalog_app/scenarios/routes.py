"""Scenario pages and the yearly typical-scenario lists that moderators curate."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog_app.accounts.decorators import role_required
from catalog_app.models import ListingKind, UserRole
from catalog_app.models._types import utcnow
from catalog_app.moderation.permissions import can_moderate
from catalog_app.page_cache import cached_page
from catalog_app.scenarios import selections, services
from catalog_app.scenarios.forms import RemoveSelectionForm, SelectionForm
from catalog_app.listings.forms import OUTCOME_METRIC_LABELS
from catalog_app.templating import localized

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")

STAFF = (UserRole.MODERATOR, UserRole.ADMIN)


@bp.context_processor
def scenario_helpers() -> dict:
    return {"listing_kinds": ListingKind, "metric_label": lambda metric: str(OUTCOME_METRIC_LABELS[metric])}


@bp.get("/")
@cached_page()
def index():
    return render_template("scenarios/index.html", groups=services.scenario_index())


@bp.get("/<slug>")
@cached_page()
def detail(slug: str):
    return render_template("scenarios/detail.html", page=services.get_scenario_page(slug))


@bp.get("/typical")
def typical_latest():
    year = selections.latest_year() or utcnow().year
    return redirect(url_for("scenarios.typical", year=year))


@bp.get("/typical/<int:year>")
def typical(year: int):
    typical_list = selections.typical_list(year)
    form = None
    if can_moderate(current_user):
        form = SelectionForm()
        form.scenario_id.choices = _scenario_choices()
    return render_template("scenarios/typical.html", typical=typical_list, form=form,
                           remove_form=RemoveSelectionForm())


@bp.post("/typical/<int:year>/entries")
@role_required(*STAFF)
def add_entry(year: int):
    form = SelectionForm()
    form.scenario_id.choices = _scenario_choices()
    if not form.validate_on_submit():
        typical_list = selections.typical_list(year)
        return render_template("scenarios/typical.html", typical=typical_list, form=form,
                               remove_form=RemoveSelectionForm()), 400
    try:
        selections.add_selection(current_user, year, form.scenario_id.data, form.citation.data, form.is_top.data)
    except selections.SelectionError:
        flash(_("That scenario is already on the %(year)d list.", year=year), "error")
    else:
        flash(_("Added to the %(year)d list.", year=year), "success")
    return redirect(url_for("scenarios.typical", year=year))


@bp.post("/typical/<int:year>/entries/<int:selection_id>/remove")
@role_required(*STAFF)
def remove_entry(year: int, selection_id: int):
    if not RemoveSelectionForm().validate_on_submit():
        abort(400)
    selections.remove_selection(current_user, year, selection_id)
    flash(_("Removed from the %(year)d list.", year=year), "success")
    return redirect(url_for("scenarios.typical", year=year))


def _scenario_choices() -> list[tuple[int, str]]:
    return [(scenario.id, f"{localized(stage)} · {localized(scenario)}")
            for stage in services.stages_with_scenarios() for scenario in stage.scenarios]
