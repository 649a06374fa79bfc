"""The organiser's pages of a round (staff only): screening ranking and shortlist, experts,
pitch order, live ranking, winners and results. Same blueprint as routes.py."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.challenges import experts, permissions, pitches, screening
from catalog_app.challenges.blueprint import bp
from catalog_app.challenges.criteria import parse_criteria
from catalog_app.challenges.errors import Forbidden, RoundError
from catalog_app.challenges.forms import ActionForm, AssignForm, DecisionForm, ExpertForm, PitchForm, WinnerForm
from catalog_app.events.access import event_by_slug
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error
from catalog_app.models import RoundEntryStatus
from catalog_app.parameters import InvalidNumber, parse_id, parse_whole_number
from catalog_app.templating import current_locale


def _staff_event(slug: str):
    event = event_by_slug(slug, current_user)
    if not permissions.can_manage_round(current_user, event):
        abort(403)
    return event


def _back(error: RoundError, url: str):
    db.session.rollback()
    if isinstance(error, Forbidden):
        abort(403)
    flash(error.message, "error")
    return redirect(url)


def _checked(form) -> None:
    if not form.validate_on_submit():
        abort(400)


# --- screening ranking and shortlist ------------------------------------------------------------

@bp.get("/manage")
@login_required
def manage(slug: str):
    event = _staff_event(slug)
    return render_template("challenges/manage.html", event=event, ranking=screening.screening_ranking(event),
                           criteria=parse_criteria(event.criteria), experts=experts.event_experts(event),
                           decision_form=DecisionForm(), action_form=ActionForm(), statuses=RoundEntryStatus)


@bp.post("/entries/<int:entry_id>/decide")
@login_required
def decide(slug: str, entry_id: int):
    event = _staff_event(slug)
    form = DecisionForm()
    _checked(form)
    try:
        status = RoundEntryStatus(form.status.data)
        screening.decide_entry(current_user, event, entry_id, status)
    except ValueError:
        abort(400)
    except RoundError as error:
        return _back(error, url_for(".manage", slug=event.slug))
    return redirect(url_for(".manage", slug=event.slug, _anchor=f"entry-{entry_id}"))


@bp.post("/shortlist/publish")
@login_required
def publish_shortlist(slug: str):
    event = _staff_event(slug)
    _checked(ActionForm())
    try:
        count = screening.publish_shortlist(current_user, event)
    except RoundError as error:
        return _back(error, url_for(".manage", slug=event.slug))
    flash(_("The shortlist of %(count)d demands is published.", count=count), "success")
    return redirect(url_for(".pitch_order", slug=event.slug))


# --- experts -------------------------------------------------------------------------------------

def _render_experts(event, form=None, assign_form=None, status: int = 200):
    assigned = experts.event_experts(event)
    assign_form = assign_form or AssignForm(formdata=None)
    assign_form.user_id.choices = [(user.id, f"{user.display_name} <{user.email}>")
                                   for user in experts.all_experts() if user not in assigned]
    return render_template("challenges/experts.html", event=event, assigned=assigned,
                           form=form or ExpertForm(formdata=None), assign_form=assign_form,
                           action_form=ActionForm()), status


@bp.route("/experts", methods=["GET", "POST"])
@login_required
def expert_list(slug: str):
    event = _staff_event(slug)
    form = ExpertForm()
    if not form.validate_on_submit():
        return _render_experts(event, form, status=400 if form.is_submitted() else 200)
    try:
        expert = experts.create_expert(current_user, event, form.display_name.data, form.email.data, current_locale())
    except RoundError as error:
        db.session.rollback()
        if isinstance(error, Forbidden):
            abort(403)
        attach_error(form, error.message, error.field)
        return _render_experts(event, form, status=400)
    flash(_("%(name)s is an expert of this event.", name=expert.display_name), "success")
    return redirect(url_for(".expert_list", slug=event.slug))


@bp.post("/experts/assign")
@login_required
def assign_expert(slug: str):
    event = _staff_event(slug)
    form = AssignForm()
    form.user_id.choices = [(user.id, user.email) for user in experts.all_experts()]
    if not form.validate_on_submit():
        return _render_experts(event, assign_form=form, status=400)
    try:
        expert = experts.assign_expert(current_user, event, form.user_id.data)
    except RoundError as error:
        return _back(error, url_for(".expert_list", slug=event.slug))
    flash(_("%(name)s is an expert of this event.", name=expert.display_name), "success")
    return redirect(url_for(".expert_list", slug=event.slug))


@bp.post("/experts/<int:user_id>/remove")
@login_required
def remove_expert(slug: str, user_id: int):
    event = _staff_event(slug)
    _checked(ActionForm())
    experts.unassign_expert(current_user, event, user_id)
    flash(_("The expert no longer reviews this event."), "success")
    return redirect(url_for(".expert_list", slug=event.slug))


@bp.post("/experts/<int:user_id>/invite")
@login_required
def invite_expert(slug: str, user_id: int):
    event = _staff_event(slug)
    _checked(ActionForm())
    try:
        expert = experts.resend_invitation(current_user, event, user_id)
    except RoundError as error:
        return _back(error, url_for(".expert_list", slug=event.slug))
    flash(_("A new link to choose a password was sent to %(email)s.", email=expert.email), "success")
    return redirect(url_for(".expert_list", slug=event.slug))


# --- pitch order ---------------------------------------------------------------------------------

def _positions(prefix: str) -> dict[int, int]:
    """`prefix-<id>` form fields as {id: position}: a malformed id is a 400, a position that
    is not a whole number from 1 to POSITION_MAX a message (RoundError)."""
    positions = {}
    for name, value in request.form.items():
        if not name.startswith(prefix):
            continue
        row_id = parse_id(name[len(prefix):])
        if row_id is None:
            abort(400)
        try:
            positions[row_id] = parse_whole_number(value.strip(), _("Position"), 1, pitches.POSITION_MAX)
        except InvalidNumber as error:
            raise RoundError(error.message) from error
    return positions


@bp.get("/pitches")
@login_required
def pitch_order(slug: str):
    event = _staff_event(slug)
    rows = []
    for entry in pitches.shortlisted_entries(event):
        form = PitchForm(formdata=None, prefix=f"e{entry.id}")
        form.organization_id.choices = [(org.id, f"{org.name}{' · ' + _('proposal') if proposal else ''}")
                                        for org, proposal in pitches.candidate_suppliers(event, entry)]
        rows.append((entry, sorted(entry.pitches, key=lambda p: (p.position, p.id)), form))
    return render_template("challenges/pitches.html", event=event, rows=rows, action_form=ActionForm())


@bp.post("/pitches/order")
@login_required
def save_order(slug: str):
    event = _staff_event(slug)
    _checked(ActionForm())
    try:
        pitches.set_order(current_user, event, _positions("entry-"), _positions("pitch-"))
    except RoundError as error:
        return _back(error, url_for(".pitch_order", slug=event.slug))
    flash(_("The running order was saved."), "success")
    return redirect(url_for(".pitch_order", slug=event.slug))


@bp.post("/entries/<int:entry_id>/pitches")
@login_required
def add_pitch(slug: str, entry_id: int):
    event = _staff_event(slug)
    form = PitchForm(prefix=f"e{entry_id}")
    form.organization_id.choices = None  # any id: the service checks it against the candidates
    form.organization_id.validate_choice = False
    _checked(form)
    try:
        pitches.add_pitch(current_user, event, entry_id, form.organization_id.data)
    except RoundError as error:
        return _back(error, url_for(".pitch_order", slug=event.slug))
    return redirect(url_for(".pitch_order", slug=event.slug, _anchor=f"entry-{entry_id}"))


@bp.post("/entries/<int:entry_id>/pitches/proposals")
@login_required
def add_proposal_pitches(slug: str, entry_id: int):
    event = _staff_event(slug)
    _checked(ActionForm())
    try:
        added = pitches.add_proposal_pitches(current_user, event, entry_id)
    except RoundError as error:
        return _back(error, url_for(".pitch_order", slug=event.slug))
    flash(_("Pitches added from proposals: %(count)d.", count=added), "success")
    return redirect(url_for(".pitch_order", slug=event.slug, _anchor=f"entry-{entry_id}"))


@bp.post("/pitches/<int:pitch_id>/remove")
@login_required
def remove_pitch(slug: str, pitch_id: int):
    event = _staff_event(slug)
    _checked(ActionForm())
    try:
        pitches.remove_pitch(current_user, event, pitch_id)
    except RoundError as error:
        return _back(error, url_for(".pitch_order", slug=event.slug))
    return redirect(url_for(".pitch_order", slug=event.slug))


# --- live ranking, winners, results --------------------------------------------------------------

@bp.get("/live")
@login_required
def live(slug: str):
    event = _staff_event(slug)
    return render_template("challenges/live.html", event=event, ranking=pitches.live_ranking(event),
                           expert_count=len(experts.event_experts(event)), winner_form=WinnerForm(),
                           action_form=ActionForm())


@bp.get("/live.json")
@login_required
def live_json(slug: str):
    """What live.js polls: per demand, pitches best first with average, rank and count."""
    event = _staff_event(slug)
    response = jsonify(
        experts=len(experts.event_experts(event)), results_published=permissions.results_are_public(event),
        demands=[{"id": row.entry.id, "title": row.entry.demand.title, "pitches": [
            {"id": item.pitch.id, "organization": item.pitch.organization.name, "position": item.pitch.position,
             "average": item.average, "count": item.count, "rank": item.rank, "winner": item.pitch.is_winner}
            for item in row.pitches]} for row in pitches.live_ranking(event)])
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/pitches/<int:pitch_id>/winner")
@login_required
def mark_winner(slug: str, pitch_id: int):
    event = _staff_event(slug)
    form = WinnerForm()
    _checked(form)
    try:
        pitches.set_winner(current_user, event, pitch_id, form.is_winner.data == "1")
    except RoundError as error:
        return _back(error, url_for(".live", slug=event.slug))
    return redirect(url_for(".live", slug=event.slug, _anchor=f"pitch-{pitch_id}"))


@bp.post("/results/publish")
@login_required
def publish_results(slug: str):
    event = _staff_event(slug)
    _checked(ActionForm())
    try:
        pitches.publish_results(current_user, event)
    except RoundError as error:
        return _back(error, url_for(".live", slug=event.slug))
    flash(_("The results are published."), "success")
    return redirect(url_for(".round_page", slug=event.slug))
