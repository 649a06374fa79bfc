"""Answers to demands under /proposals: thin views over `services` and `confidentiality`.

Loaders answer 404 for what the viewer may not see, so nobody learns that another
organization's proposal exists; the services check the permission again and raise
Forbidden, which covers a state that changed between page and click.
"""
from __future__ import annotations

import io
from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error
from catalog_app.models import ConfidentialAccess, Demand, Proposal, ProposalAttachment
from catalog_app.models._types import utcnow
from catalog_app.parameters import id_arg
from catalog_app.proposals import attachments, confidentiality, permissions, services
from catalog_app.proposals.errors import ProposalError, TooManyMessages
from catalog_app.proposals.forms import (
    DECLINE_REASON_LABELS,
    AccessRequestForm,
    ActionForm,
    AgreementForm,
    DeclineForm,
    MessageForm,
    ProposalForm,
    TermsForm,
)
from catalog_app.proposals.labels import proposal_label
from catalog_app.proposals.panel import demand_panel

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


# ---------------------------------------------------------------- loaders and helpers

def _demand(demand_id: int) -> Demand:
    """A public demand, or any demand of the viewer's own enterprise."""
    demand = db.session.get(Demand, demand_id)
    if demand is None or not (demand.is_public or permissions.is_demand_enterprise(current_user, demand)):
        abort(404)
    return demand


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not permissions.can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


def _show_error(form, error: ProposalError) -> None:
    """Put the service's message beside its field, or above the form."""
    db.session.rollback()
    attach_error(form, error.message, error.field)


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


@bp.app_template_global("proposal_panel")
def proposal_panel(demand: Demand):
    """The panel for the current viewer; a few small queries, not cached (tests share one `g`)."""
    return demand_panel(current_user, demand)


bp.add_app_template_filter(proposal_label, "proposal_label")
bp.add_app_template_global(permissions, "proposal_permissions")
bp.add_app_template_global(utcnow, "now_utc")


@bp.app_template_filter("response_time")
def response_time(value: timedelta | None) -> str:
    if value is None:
        return ""
    hours = value.total_seconds() / 3600
    if hours < 1:
        return _("less than an hour")
    if hours < 48:
        return _("%(count)s h", count=int(hours))
    return _("%(count)s days", count=f"{hours / 24:.1f}".rstrip("0").rstrip("."))


# ---------------------------------------------------------------- supplier

@bp.get("/mine")
@login_required
def mine():
    if not permissions.is_supplier_member(current_user):
        abort(403)
    return render_template("proposals/mine.html", proposals=services.supplier_proposals(current_user))


@bp.route("/demand/<int:demand_id>/new", methods=["GET", "POST"])
@login_required
def new(demand_id: int):
    demand = _demand(demand_id)
    existing = services.active_proposal(demand, current_user.organization_id)
    if existing is not None and permissions.is_proposal_supplier(current_user, existing):
        return redirect(url_for(".detail", proposal_id=existing.id))
    if not permissions.can_answer_demand(current_user, demand):
        abort(403)
    form = ProposalForm()
    form.set_listing_choices(services.listing_choices(current_user))
    if form.validate_on_submit():
        try:
            proposal = services.submit_proposal(demand, form.to_input(), form.uploaded_files(), current_user)
        except ProposalError as error:
            _show_error(form, error)
        else:
            flash(_l("Your proposal was sent to the enterprise."), "success")
            return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, demand=demand, proposal=None), _status(form)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not permissions.can_edit_proposal(current_user, proposal):
        abort(403)
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    form.set_listing_choices(services.listing_choices(current_user))
    if request.method == "GET":
        form.listing_ids.data = [listing.id for listing in proposal.listings]
    if form.validate_on_submit():
        try:
            services.update_proposal(proposal, form.to_input(), form.uploaded_files(), current_user)
        except ProposalError as error:
            _show_error(form, error)
        else:
            flash(_l("Your proposal was saved."), "success")
            return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, demand=proposal.demand, proposal=proposal,
                           action_form=ActionForm()), _status(form)


@bp.post("/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not ActionForm().validate_on_submit() or not permissions.can_withdraw_proposal(current_user, proposal):
        abort(403)
    services.withdraw_proposal(proposal, current_user)
    flash(_l("Your proposal was withdrawn."), "success")
    return redirect(url_for("demands.detail", demand_id=proposal.demand_id))


@bp.post("/<int:proposal_id>/attachments/<int:attachment_id>/delete")
@login_required
def remove_attachment(proposal_id: int, attachment_id: int):
    proposal = _proposal(proposal_id)
    if not ActionForm().validate_on_submit() or not permissions.can_edit_proposal(current_user, proposal):
        abort(403)
    try:
        services.remove_attachment(proposal, attachment_id, current_user)
    except ProposalError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for(".edit", proposal_id=proposal.id) + "#attachments")


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    """Every attachment goes through here: only the two parties, never cached by proxies."""
    item = db.session.get(ProposalAttachment, attachment_id)
    if item is None or not permissions.can_download_attachment(current_user, item.proposal):
        abort(404)
    path = attachments.attachment_path(item)
    if not path.is_file():
        abort(404)
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=item.content_type, download_name=item.original_name,
                         as_attachment=not item.content_type.startswith("image/"))
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- both sides

@bp.get("/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    proposal = _proposal(proposal_id)
    return render_template("proposals/detail.html", proposal=proposal, demand=proposal.demand,
                           message_form=MessageForm(), action_form=ActionForm(), reasons=DECLINE_REASON_LABELS)


@bp.post("/<int:proposal_id>/messages")
@login_required
def message(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not permissions.can_post_message(current_user, proposal):
        abort(403)
    form = MessageForm()
    back = request.form.get("back")
    status = None
    if form.validate_on_submit():
        try:
            services.post_message(proposal, form.body.data, current_user)
        except ProposalError as error:
            _show_error(form, error)
            status = 429 if isinstance(error, TooManyMessages) else None
        else:
            flash(_l("Message sent."), "success")
            if back == "list" and permissions.is_demand_enterprise(current_user, proposal.demand):
                return redirect(url_for(".for_demand", demand_id=proposal.demand_id, open=proposal.id)
                                + f"#proposal-{proposal.id}")
            return redirect(url_for(".detail", proposal_id=proposal.id) + "#thread")
    return render_template("proposals/detail.html", proposal=proposal, demand=proposal.demand, message_form=form,
                           action_form=ActionForm(), reasons=DECLINE_REASON_LABELS), status or _status(form)


# ---------------------------------------------------------------- enterprise

@bp.get("/demand/<int:demand_id>")
@login_required
def for_demand(demand_id: int):
    demand = _demand(demand_id)
    if not permissions.can_list_proposals(current_user, demand):
        abort(403)
    return render_template("proposals/for_demand.html", demand=demand,
                           proposals=services.proposals_for_demand(demand, current_user),
                           median_response=services.median_response_time(demand.organization_id),
                           open_id=id_arg("open"), message_form=MessageForm(),
                           action_form=ActionForm(), reasons=DECLINE_REASON_LABELS)


@bp.post("/<int:proposal_id>/shortlist")
@login_required
def shortlist(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not ActionForm().validate_on_submit() or not permissions.can_shortlist_proposal(current_user, proposal):
        abort(403)
    services.shortlist_proposal(proposal, current_user)
    flash(_l("Shortlisted. The supplier has been told."), "success")
    return redirect(url_for(".for_demand", demand_id=proposal.demand_id, open=proposal.id))


@bp.route("/<int:proposal_id>/decline", methods=["GET", "POST"])
@login_required
def decline(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not permissions.can_decline_proposal(current_user, proposal):
        abort(403)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_proposal(proposal, form.reason_value, form.note.data or "", current_user)
        except ProposalError as error:
            _show_error(form, error)
        else:
            flash(_l("Declined. The supplier sees the reason you gave."), "success")
            return redirect(url_for(".for_demand", demand_id=proposal.demand_id))
    return render_template("proposals/decline.html", form=form, proposal=proposal,
                           demand=proposal.demand), _status(form)


@bp.route("/<int:proposal_id>/agreement", methods=["GET", "POST"])
@login_required
def agree(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not permissions.can_record_agreement(current_user, proposal):
        abort(403)
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            services.record_agreement(proposal, form.amount.data, form.note.data or "", current_user)
        except ProposalError as error:
            _show_error(form, error)
        else:
            flash(_l("Intent agreement recorded. The demand is now marked as solved."), "success")
            return redirect(url_for(".for_demand", demand_id=proposal.demand_id, open=proposal.id))
    return render_template("proposals/agreement.html", form=form, proposal=proposal,
                           demand=proposal.demand), _status(form)


# ---------------------------------------------------------------- confidential details

@bp.route("/demand/<int:demand_id>/access/request", methods=["GET", "POST"])
@login_required
def request_access(demand_id: int):
    demand = _demand(demand_id)
    access = confidentiality.access_for(demand, current_user.organization_id)
    if not permissions.can_request_access(current_user, demand, access):
        abort(403)
    form = AccessRequestForm()
    if form.validate_on_submit():
        try:
            confidentiality.request_access(demand, form.note.data or "", current_user)
        except ProposalError as error:
            _show_error(form, error)
        else:
            flash(_l("Request sent. You will get an email when the enterprise decides."), "success")
            return redirect(url_for("demands.detail", demand_id=demand.id))
    return render_template("proposals/request_access.html", form=form, demand=demand), _status(form)


@bp.get("/demand/<int:demand_id>/access")
@login_required
def access(demand_id: int):
    demand = _demand(demand_id)
    if not permissions.can_see_access_log(current_user, demand):
        abort(403)
    return render_template("proposals/access.html", demand=demand,
                           overview=confidentiality.access_overview(demand, current_user), action_form=ActionForm())


@bp.post("/access/<int:access_id>/<any(approve,decline):decision>")
@login_required
def decide_access(access_id: int, decision: str):
    item = db.session.get(ConfidentialAccess, access_id)
    if item is None or not permissions.is_demand_enterprise(current_user, item.demand):
        abort(404)
    if not ActionForm().validate_on_submit() or not permissions.can_decide_access(current_user, item):
        abort(403)
    confidentiality.decide_access(item, decision == "approve", current_user)
    flash(_l("Access approved.") if decision == "approve" else _l("Access declined."), "success")
    return redirect(url_for(".access", demand_id=item.demand_id))


@bp.route("/demand/<int:demand_id>/terms", methods=["GET", "POST"])
@login_required
def terms(demand_id: int):
    demand = _demand(demand_id)
    access = confidentiality.access_for(demand, current_user.organization_id)
    if not permissions.can_accept_terms(current_user, access):
        abort(403)
    form = TermsForm()
    if form.validate_on_submit():
        confidentiality.accept_terms(demand, current_user)
        return redirect(url_for(".confidential", demand_id=demand.id))
    return render_template("proposals/terms.html", form=form, demand=demand,
                           terms=confidentiality.TERMS), _status(form)


@bp.get("/demand/<int:demand_id>/confidential")
@login_required
def confidential(demand_id: int):
    demand = _demand(demand_id)
    access = confidentiality.access_for(demand, current_user.organization_id)
    if not permissions.can_read_confidential(current_user, demand, access):
        abort(403)
    details = confidentiality.read_confidential_details(demand, current_user, request.remote_addr or "")
    response = Response(render_template("proposals/confidential.html", demand=demand, details=details))
    response.headers["Cache-Control"] = "private, no-store"
    return response
