"""Moderation pages: the review queue, one review, organization verification, the audit log.

Every route is for moderators and administrators only; the check runs once for the whole
blueprint, so a new route cannot forget it.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog_app.accounts.sessions import login_manager
from catalog_app.models import ListingKind
from catalog_app.models._types import utcnow
from catalog_app.moderation import files, queries, services
from catalog_app.moderation.diffing import list_item_text
from catalog_app.moderation.fields import display_value, field_label, kinds_for
from catalog_app.moderation.forms import ApproveForm, FileDecisionForm, RejectForm, VerificationForm
from catalog_app.moderation.labels import (
    action_label,
    compose_reason,
    decision_label,
    object_type_label,
    role_label,
)
from catalog_app.moderation.permissions import can_moderate
from catalog_app.parameters import id_arg, page_arg

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

REVIEWABLE = "<any(listing, demand):object_type>/<int:object_id>"
# Every type the queue holds: the decision routes take them all (see moderation/reviewables.py).
DECIDABLE = f"<any({', '.join(services.QUEUE_TYPES)}):object_type>/<int:object_id>"
TEXT_TYPES = ("listing", "demand")  # reviewed on their own page, rejected with a reason code and emailed


@bp.before_request
def require_moderator():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # the login page, with ?next= back here
    if not can_moderate(current_user):
        abort(403)
    return None


@bp.context_processor
def moderation_helpers() -> dict:
    return {
        "moderation_counts": services.queue_counts, "now": utcnow(), "field_label": field_label,
        "display_value": display_value, "kinds_for": kinds_for, "list_item": list_item_text,
        "action_label": action_label, "decision_label": decision_label, "object_type_label": object_type_label,
        "role_label": role_label,
    }


@bp.get("")
def queue():
    object_type = request.args.get("type") or None
    kind_value = request.args.get("kind") or None
    if object_type not in (None, *services.QUEUE_TYPES) or kind_value not in (None, *[k.value for k in ListingKind]):
        abort(400, description=_("Invalid filter value."))
    kind = ListingKind(kind_value) if kind_value else None
    review_queue = services.review_queue(object_type, kind)
    return render_template("moderation/queue.html", queue=review_queue, object_type=object_type, kind=kind,
                           approve_form=ApproveForm(), file_form=FileDecisionForm())


def _render_review(object_type: str, object_id: int, reject_form: RejectForm | None = None, status: int = 200):
    detail = queries.review_detail(object_type, object_id)
    return render_template("moderation/review.html", detail=detail, approve_form=ApproveForm(),
                           reject_form=reject_form or RejectForm(), file_form=FileDecisionForm(),
                           files=queries.file_reviews(detail.obj)), status


@bp.get(f"/{REVIEWABLE}")
def review(object_type: str, object_id: int):
    return _render_review(object_type, object_id)


@bp.post("/files/<any(listing_image, demand_file):file_type>/<int:file_id>/<any(approve, reject):decision>")
def decide_file(file_type: str, file_id: int, decision: str):
    """One image or attachment: approve it (public with its listing or demand) or reject it."""
    form = FileDecisionForm()
    parent = queries.file_parent(file_type, file_id)  # 404 for an unknown file
    back = url_for("moderation.review", object_type=files.parent_type_of(file_type), object_id=parent.id,
                   _anchor="files")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.decide_file_and_record(file_type, file_id, current_user, decision == "approve", form.note.data)
    except services.ReviewError:
        flash(_("Give a reason to reject a file.") if decision == "reject" and not (form.note.data or "").strip()
              else _("This file is not waiting for review any more. Nothing was changed."), "error")
        return redirect(back)
    flash(_("File approved: it is public with its item.") if decision == "approve"
          else _("File rejected: only the owner and moderators see it."), "success")
    return redirect(back)


@bp.post(f"/{DECIDABLE}/approve")
def approve(object_type: str, object_id: int):
    """Approve anything in the queue: a listing, demand, organization or file."""
    obj = _reviewable_or_404(object_type, object_id)
    if not ApproveForm().validate_on_submit():
        abort(400)
    try:
        services.approve_and_notify(obj, current_user)
    except services.ReviewError:
        return _not_pending(object_type, object_id)
    flash(_("Approved and published. The owner has been notified by email.") if object_type in TEXT_TYPES
          else _("Approved."), "success")
    return redirect(url_for("moderation.queue"))


@bp.post(f"/{DECIDABLE}/reject")
def reject(object_type: str, object_id: int):
    """Reject anything in the queue. Text takes a reason code and note; the others a note."""
    obj = _reviewable_or_404(object_type, object_id)
    if object_type in TEXT_TYPES:
        form = RejectForm()
        if not form.validate_on_submit():
            return _render_review(object_type, object_id, reject_form=form, status=400)
        reason = compose_reason(form.reason.data, form.note.data)
    else:
        form = FileDecisionForm()
        if not form.validate_on_submit():
            abort(400)
        reason = (form.note.data or "").strip()
        if not reason:
            flash(_("Give a reason to reject."), "error")
            return redirect(url_for("moderation.queue"))
    try:
        services.reject_and_notify(obj, current_user, reason)
    except services.ReviewError:
        return _not_pending(object_type, object_id)
    flash(_("Rejected. The owner has been sent the reason by email.") if object_type in TEXT_TYPES
          else _("Rejected."), "success")
    return redirect(url_for("moderation.queue"))



def _reviewable_or_404(object_type: str, object_id: int):
    obj = services.load_reviewable(object_type, object_id)
    if obj is None:
        abort(404)
    return obj


def _not_pending(object_type: str, object_id: int):
    flash(_("This item is not waiting for review any more: another moderator may have decided it, "
            "or the owner withdrew it. Nothing was changed."), "error")
    if object_type not in TEXT_TYPES:
        return redirect(url_for("moderation.queue"))
    return redirect(url_for("moderation.review", object_type=object_type, object_id=object_id))


@bp.get("/organizations")
def organizations():
    show = request.args.get("show", "unverified")
    if show not in queries.VERIFICATION_FILTERS:
        abort(400, description=_("Invalid filter value."))
    page = queries.organizations_for_verification(show, page_arg())
    return render_template("moderation/organizations.html", page=page, show=show, form=VerificationForm())


@bp.post("/organizations/<int:organization_id>/verification")
def verification(organization_id: int):
    organization = queries.get_organization(organization_id)
    form = VerificationForm()
    if not form.validate_on_submit():
        abort(400)
    verified = form.verified.data == "1"
    try:
        services.verify_organization(organization, current_user, verified)
    except services.ReviewError:
        flash(_("Nothing changed: the organization was already in that state."), "error")
    else:
        flash(_("%(name)s is now verified.", name=organization.name) if verified
              else _("Verification of %(name)s was withdrawn.", name=organization.name), "success")
    return redirect(_back_to_organizations())


def _back_to_organizations() -> str:
    """The filtered list the form was posted from; only a path inside the list, never elsewhere."""
    base = url_for("moderation.organizations")
    target = request.form.get("next", "")
    return target if target.startswith(base + "?") or target == base else base


@bp.get("/audit")
def audit():
    filters = queries.AuditFilter(actor_id=id_arg("actor"), action=request.args.get("action") or None,
                                  object_type=request.args.get("object_type") or None,
                                  object_id=id_arg("object_id"))
    page = queries.audit_log(filters, page_arg())
    return render_template("moderation/audit.html", page=page, filters=filters, actors=queries.audit_actors(),
                           actions=queries.audit_actions(), titles=queries.object_titles(page.items))
