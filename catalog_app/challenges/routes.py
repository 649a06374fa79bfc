"""/events/<slug>/round: the round page, enterprise entries, expert screening and scoring.

Thin views: load the event (drafts 404 for all but staff), check the form, call one
service, flash and redirect. The organiser's pages are in staff_routes.py on the same
blueprint. The template globals for the event page (`challenge_panel`), the demand page
(`challenge_results`) and the expert's workbench (`expert_events`) are registered here.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.challenges import entries, panel, permissions, pitches, screening
from catalog_app.challenges import staff_routes  # noqa: F401  (the organiser's views, on the same blueprint)
from catalog_app.challenges.blueprint import bp
from catalog_app.challenges.criteria import parse_criteria
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.challenges.forms import ActionForm, EnterForm, ScoreForm
from catalog_app.challenges.labels import ENTRY_STATUS_LABELS
from catalog_app.events.access import event_by_slug
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error

__all__ = ["bp"]


@bp.app_template_global("challenge_panel")
def challenge_panel(event):
    return panel.render_event_panel(current_user, event)


@bp.app_template_global("challenge_results")
def challenge_results(demand):
    return panel.demand_results(demand)


@bp.app_template_global("expert_events")
def expert_events():
    return panel.expert_event_rows(current_user)


bp.add_app_template_filter(lambda status: ENTRY_STATUS_LABELS.get(status, status.value), "round_status")
bp.add_app_template_global(panel.event_page_url, "event_page_url")


def _event(slug: str):
    return event_by_slug(slug, current_user)


def _refused(error: RoundError, fallback: str):
    """Flash the refusal (403 for Forbidden) and go back to `fallback`."""
    db.session.rollback()
    if isinstance(error, Forbidden):
        abort(403)
    flash(error.message, "error")
    return redirect(fallback)


# --- the public round page and enterprise entries -------------------------------------------

@bp.get("")
def round_page(slug: str):
    event = _event(slug)
    return render_template(
        "challenges/round.html", event=event, counts=entries.round_counts(event),
        criteria=parse_criteria(event.criteria), shortlist=entries.public_entries(event),
        winners=panel.public_winners(event), own_entries=entries.organization_entries(current_user, event)
        if getattr(current_user, "organization_id", None) else [],
        enterable=entries.enterable_demands(current_user, event), can_enter=permissions.can_enter_round(current_user, event),
        is_expert=permissions.can_score(current_user, event),
        can_manage=permissions.can_manage_round(current_user, event),
        registration_open=permissions.registration_is_open(event), enter_form=EnterForm(), action_form=ActionForm())


@bp.post("/enter")
@login_required
def enter(slug: str):
    event = _event(slug)
    form = EnterForm()
    back = url_for(".round_page", slug=event.slug, _anchor="my-entries")
    if not form.validate_on_submit():
        flash(_("Choose one of your organization's published demands."), "error")
        return redirect(back)
    try:
        entry = entries.enter_demand(current_user, event, form.demand_id.data)
    except RoundError as error:
        return _refused(error, back)
    flash(_("“%(title)s” is entered in the round.", title=entry.demand.title), "success")
    return redirect(back)


@bp.post("/entries/<int:entry_id>/withdraw")
@login_required
def withdraw(slug: str, entry_id: int):
    event = _event(slug)
    back = url_for(".round_page", slug=event.slug, _anchor="my-entries")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        entries.withdraw_entry(current_user, event, entry_id)
    except RoundError as error:
        return _refused(error, back)
    flash(_("The demand was withdrawn from the round."), "success")
    return redirect(back)


# --- expert screening ---------------------------------------------------------------------------

def _expert_event(slug: str):
    event = _event(slug)
    if not permissions.can_score(current_user, event):
        abort(403)
    return event


def _raw_scores(criteria) -> dict:
    return {criterion.name: request.form.get(f"score-{index}", "") for index, criterion in enumerate(criteria)}


@bp.get("/screening")
@login_required
def screening_list(slug: str):
    event = _expert_event(slug)
    return render_template("challenges/screening_list.html", event=event,
                           rows=screening.expert_screening(current_user, event))


@bp.route("/screening/<int:entry_id>", methods=["GET", "POST"])
@login_required
def screen(slug: str, entry_id: int):
    event = _expert_event(slug)
    entry = entries.entry_of(event, entry_id)
    if entry is None or entry not in entries.screenable_entries(event):
        abort(404)
    criteria, own = parse_criteria(event.criteria), screening.own_score(current_user, entry)
    form = ScoreForm(data={"comment": own.comment} if own else None)
    values = own.scores if own else {}
    if form.validate_on_submit():
        values = _raw_scores(criteria)
        try:
            screening.score_entry(current_user, event, entry.id, values, form.comment.data)
        except RoundError as error:
            db.session.rollback()
            if isinstance(error, Forbidden):
                abort(403)
            attach_error(form, error.message, None)
        else:
            flash(_("Your screening score was saved."), "success")
            return redirect(url_for(".screening_list", slug=event.slug))
    return render_template("challenges/screen.html", event=event, entry=entry, criteria=criteria, form=form,
                           values=values, own=own, closed=permissions.shortlist_is_public(event)), \
        400 if form.errors or form.form_errors else 200


# --- the phone scoring sheet ------------------------------------------------------------------

@bp.get("/score")
@login_required
def score_list(slug: str):
    event = _expert_event(slug)
    return render_template("challenges/score_list.html", event=event, sheet=pitches.expert_sheet(current_user, event))


@bp.route("/score/<int:pitch_id>", methods=["GET", "POST"])
@login_required
def score(slug: str, pitch_id: int):
    event = _expert_event(slug)
    pitch = pitches.pitch_of(event, pitch_id)
    if pitch is None:
        abort(404)
    criteria, own = parse_criteria(event.criteria), pitches.own_pitch_score(current_user, pitch)
    form = ScoreForm(data={"comment": own.comment} if own else None)
    values = own.scores if own else {}
    if form.validate_on_submit():
        values = _raw_scores(criteria)
        try:
            own = pitches.score_pitch(current_user, event, pitch.id, values, form.comment.data)
        except RoundError as error:
            db.session.rollback()
            if isinstance(error, Forbidden):
                abort(403)
            attach_error(form, error.message, None)
        else:
            flash(_("Score saved: %(total)s / 100.", total="%g" % own.total), "success")
            return redirect(url_for(".score", slug=event.slug, pitch_id=pitch.id))
    following = pitches.next_pitch(current_user, event, pitch)
    return render_template("challenges/score.html", event=event, pitch=pitch, criteria=criteria, form=form,
                           values=values, own=own, next_pitch=following,
                           closed=permissions.results_are_public(event)), \
        400 if form.errors or form.form_errors else 200

