"""Demands: the public list and detail, and the enterprise's own demands (thin views over services)."""
from __future__ import annotations

import io
from functools import wraps

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from catalog_app.accounts.permissions import is_member_of
from catalog_app.accounts.sessions import login_manager
from catalog_app.browsing.params import InvalidQuery, parse_browse_params
from catalog_app.demands import attachments, permissions, services
from catalog_app.demands.forms import ActionForm, AttachmentForm, DemandForm, SubmitForm, demand_form_data
from catalog_app.demands.quality import STATE_LABELS, assess_demand
from catalog_app.demands.services import DemandError, SaveOutcome
from catalog_app.extensions import db
from catalog_app.models import Demand, DemandStatus
from catalog_app.models.demands import DemandAttachment
from catalog_app.recommendations.forms import DismissMatchForm
from catalog_app.templating import current_locale, listing_url

bp = Blueprint("demands", __name__, url_prefix="/demands")

SAVE_MESSAGES = {
    SaveOutcome.SAVED: _l("Draft saved."),
    SaveOutcome.SUBMITTED: _l("Submitted for review. The demand is published once a moderator approves it."),
    SaveOutcome.NEEDS_CONFIRMATION: _l("Saved as a draft. The quality check found gaps: read the checklist, "
                                       "then improve the demand or submit it anyway."),
}
ACTIONS = {
    "withdraw": (services.withdraw_demand, _l("Withdrawn: the demand is a draft again and not public.")),
    "close": (services.close_demand, _l("Closed: the demand takes no more answers.")),
    "solve": (services.mark_demand_solved, _l("Marked as solved. Congratulations!")),
}


@bp.get("")
def index():
    try:
        params = parse_browse_params(request.args)
        page = services.search_demands(params)
    except InvalidQuery as error:
        abort(400, description=error.message)
    return render_template("demands/list.html", params=params, page=page,
                           can_post=permissions.can_create_demand(current_user))


@bp.get("/<int:demand_id>")
def detail(demand_id: int):
    detail = services.get_demand(demand_id, reader=current_user)
    return render_template("demands/detail.html", detail=detail, demand=detail.demand,
                           attachments=attachments.visible_attachments(detail.demand, current_user),
                           recommendations=detail.recommendations, dismiss_form=DismissMatchForm(),
                           can_dismiss=is_member_of(current_user, detail.demand.organization))


def enterprise_required(view):
    """Anonymous visitors go to the login page; signed-in users who are not enterprise members get 403."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not permissions.can_create_demand(current_user):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _own_demand(demand_id: int) -> Demand:
    """404 for another organization's demand: its existence is none of the caller's business."""
    demand = db.session.get(Demand, demand_id)
    if demand is None or not permissions.owns_demand(current_user, demand):
        abort(404)
    return demand


def _editor(demand: Demand | None = None) -> DemandForm:
    form = DemandForm(data=demand_form_data(services.input_of(services.editable_version(demand))) if demand else None)
    form.set_choices(**services.editor_choices(current_user, current_locale()))
    return form


def _render_editor(form: DemandForm, demand: Demand | None = None, status: int = 200):
    values = form.to_input()
    own_attachments = attachments.demand_attachments(demand) if demand else []
    return render_template(
        "demands/edit.html", form=form, demand=demand,
        report=assess_demand(values, getattr(current_user.organization, "tier", None)),
        matches=services.preview_matches(values) if values.title or values.summary else [],
        attachments=own_attachments, attachment_states=attachments.review_states(own_attachments),
        show_report=request.args.get("check") == "1", attachment_form=AttachmentForm(),
        attachment_limit=attachments.readable_size(attachments.max_bytes()),
        submit_form=SubmitForm(), action_form=ActionForm(), permissions=permissions,
        state_labels=STATE_LABELS, draft_status=DemandStatus.DRAFT,
    ), status


def _save(form: DemandForm, demand: Demand | None):
    """Save the valid form; a redirect, or None with the service's message beside its field."""
    try:
        result = services.save_demand(demand, form.to_input(), current_user, submit=bool(form.submit_review.data))
    except DemandError as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        (field.errors if field is not None else form.form_errors).append(error.message)
        return None
    flash(SAVE_MESSAGES[result.outcome], "success" if result.outcome is not SaveOutcome.NEEDS_CONFIRMATION else "error")
    return _after_save(result)


def _after_save(result):
    if result.outcome is SaveOutcome.SUBMITTED:
        return redirect(url_for(".mine"))
    check = {"check": "1", "_anchor": "quality-report"} if result.outcome is SaveOutcome.NEEDS_CONFIRMATION else {}
    return redirect(url_for(".edit", demand_id=result.demand.id, **check))


@bp.get("/mine")
@enterprise_required
def mine():
    return render_template("demands/mine.html", demands=services.organization_demands(current_user),
                           counts=services.status_counts(current_user), statuses=list(DemandStatus),
                           action_form=ActionForm(), permissions=permissions)


@bp.route("/new", methods=["GET", "POST"])
@enterprise_required
def create():
    form = _editor()
    if form.validate_on_submit():
        response = _save(form, None)
        if response is not None:
            return response
    return _render_editor(form, status=422 if form.errors or form.form_errors else 200)


@bp.route("/<int:demand_id>/edit", methods=["GET", "POST"])
@enterprise_required
def edit(demand_id: int):
    demand = _own_demand(demand_id)
    if not permissions.can_edit_demand(current_user, demand):
        abort(403, description=_l("Demands in talks, solved or closed cannot be edited."))
    form = _editor(demand)
    if form.validate_on_submit():
        response = _save(form, demand)
        if response is not None:
            return response
    return _render_editor(form, demand, status=422 if form.errors or form.form_errors else 200)


@bp.post("/<int:demand_id>/submit")
@enterprise_required
def submit(demand_id: int):
    demand = _own_demand(demand_id)
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = services.submit_demand(demand, current_user, accept_low_quality=bool(form.confirm.data))
    except DemandError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".edit", demand_id=demand.id) if permissions.can_edit_demand(current_user, demand)
                        else url_for(".mine"))
    flash(SAVE_MESSAGES[result.outcome], "success" if result.outcome is SaveOutcome.SUBMITTED else "error")
    return _after_save(result)


@bp.post("/<int:demand_id>/<any(withdraw,close,solve):action>")
@enterprise_required
def change(demand_id: int, action: str):
    demand = _own_demand(demand_id)
    use_case, message = ACTIONS[action]
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        use_case(demand, current_user)
    except DemandError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(message, "success")
    return redirect(url_for(".mine"))


@bp.post("/<int:demand_id>/attachments")
@enterprise_required
def add_attachment(demand_id: int):
    demand = _own_demand(demand_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            attachments.add_demand_attachment(demand, upload.filename, upload.stream, form.is_public.data,
                                              current_user)
        except DemandError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_l("Attachment added. Only your organization and the moderators see it until a moderator "
                     "approves it."), "success")
    for message in form.file.errors:
        flash(message, "error")
    return redirect(url_for(".edit", demand_id=demand.id, _anchor="attachments"))


@bp.post("/<int:demand_id>/attachments/<int:attachment_id>/delete")
@enterprise_required
def remove_attachment(demand_id: int, attachment_id: int):
    demand = _own_demand(demand_id)
    attachment = db.session.get(DemandAttachment, attachment_id)
    if attachment is None or attachment.demand_id != demand.id or not ActionForm().validate_on_submit():
        abort(404)
    try:
        attachments.remove_demand_attachment(demand, attachment, current_user)
    except DemandError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for(".edit", demand_id=demand.id, _anchor="attachments"))


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    """Every demand attachment goes through here: the files are not under static/."""
    attachment = db.session.get(DemandAttachment, attachment_id)
    if attachment is None or not permissions.can_view_attachment(current_user, attachment):
        abort(404)
    path = attachments.attachment_path(attachment)
    if not path.is_file():
        abort(404)
    # send_file writes RFC 6266 `filename*` for a Chinese name (a raw one is not a valid header).
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=attachment.content_type,  # bounded by the upload limit
                         download_name=attachment.original_name,
                         as_attachment=not attachment.content_type.startswith("image/"))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.post("/facet-suggestions")
@enterprise_required
def facet_suggestions():
    """JSON for the editor: scenarios and industries the text suggests, for the user to accept.

    Only ids of existing taxonomy rows are offered, and accepting one just ticks its box:
    the form validates the ids again on save, so no suggestion can add a facet value.
    """
    locale = current_locale()
    label = {"scenarios": lambda name: _("Scenario: %(name)s", name=name),
             "industries": lambda name: _("Industry: %(name)s", name=name)}
    return jsonify(suggestions=[{"field": field, "id": row.id, "label": label[field](row.localized_name(locale))}
                                for field, row in services.suggested_facets(_editor().to_input())])


@bp.post("/preview")
@enterprise_required
def preview():
    """JSON for the editor's sidebar while typing: the quality report and the top 5 matches.

    The form is read, not validated: half-typed input is the normal case here.
    """
    values = _editor().to_input()
    matches = services.preview_matches(values)
    locale = current_locale()
    return jsonify(quality=assess_demand(values, getattr(current_user.organization, "tier", None)).as_json(), listings=[
        {"title": m.item.title, "organization": m.item.organization.name, "percent": m.percent,
         "percent_label": _("Match %(percent)d%%", percent=m.percent), "reasons": m.explanation(locale),
         "strong": m.is_strong, "weak_label": "" if m.is_strong else _("Weaker match"),
         "url": listing_url(m.item)} for m in matches])
