"""Enquiries under /enquiries: thin views over `services`.

Loaders answer 404 for a thread the viewer is not a party to, so nobody learns that two
other organizations are talking; the services check the permission again and raise
Forbidden, which covers a state that changed between page and click.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.enquiries import figures, permissions, services
from catalog_app.enquiries import reports as spam_reports
from catalog_app.enquiries.forms import ActionForm, DecisionForm, EnquiryForm, MessageForm, ReportForm
from catalog_app.enquiries.errors import EnquiryError, TooManyEnquiries
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error
from catalog_app.models import Enquiry, EnquiryReport
from catalog_app.notifications.members import has_active_members

bp = Blueprint("enquiries", __name__, url_prefix="/enquiries")

bp.add_app_template_global(permissions, "enquiry_permissions")


@bp.app_template_global("enquiry_box")
def enquiry_box(organization, listing=None):
    """What the enquiry box on a listing or organization page needs for the current viewer.

    `organization` and `listing` need only an `id`. On a listing's page the organization has
    a published listing, so it takes enquiries without asking; whether it has members is
    asked only of a viewer who may send. An anonymous visitor costs no statement."""
    can_send = permissions.can_send_enquiry(current_user, organization)
    return {"takes_enquiries": listing is not None or services.takes_enquiries(organization.id),
            "can_send": can_send,
            "has_members": can_send and has_active_members(organization.id),
            "previous": services.enquiries_between(current_user, organization.id)}


bp.add_app_template_global(figures.public_reply_figures, "enquiry_reply_figures")


def _enquiry(enquiry_id: int) -> Enquiry:
    enquiry = db.session.get(Enquiry, enquiry_id)
    if enquiry is None or not permissions.can_view_enquiry(current_user, enquiry):
        abort(404)
    return enquiry


def _show_error(form, error: EnquiryError) -> int:
    """Put the service's message beside its field, or above the form; returns the status."""
    db.session.rollback()
    attach_error(form, error.message, error.field)
    return 429 if isinstance(error, TooManyEnquiries) else 422


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _thread(enquiry: Enquiry, status: int = 200, **forms):
    forms.setdefault("message_form", MessageForm())
    forms.setdefault("decision_form", DecisionForm())
    return render_template("enquiries/detail.html", enquiry=enquiry, side=services.side_of(current_user, enquiry),
                           contacts=services.shared_contacts(enquiry, current_user),
                           unread=services.is_unread_for(current_user, enquiry),
                           report=spam_reports.report_for(enquiry), action_form=ActionForm(), **forms), status


@bp.get("")
@login_required
def index():
    if current_user.organization_id is None:
        abort(403)
    box = request.args.get("box") or services.default_box(current_user)
    if box not in services.BOXES:
        abort(400)
    return render_template("enquiries/index.html", box=box, rows=services.inbox(current_user, box),
                           summary=services.inbox_summary(current_user, newest=0))


@bp.route("/new/listing/<int:listing_id>", methods=["GET", "POST"], endpoint="new_for_listing")
@bp.route("/new/organization/<int:organization_id>", methods=["GET", "POST"], endpoint="new_for_organization")
@login_required
def new(listing_id: int | None = None, organization_id: int | None = None):
    if listing_id is not None:
        organization, listing = services.listing_target(listing_id)
    else:
        organization, listing = services.organization_target(organization_id), None
    if not permissions.can_send_enquiry(current_user, organization):
        abort(403)
    form = EnquiryForm()
    form.set_demand_choices(services.demand_choices(current_user))
    status = None
    if form.validate_on_submit():
        try:
            enquiry = services.send_enquiry(organization, listing, form.to_input(), current_user)
        except EnquiryError as error:
            status = _show_error(form, error)
        else:
            flash(_l("Your enquiry was sent to %(org)s.", org=organization.name), "success")
            return redirect(url_for(".detail", enquiry_id=enquiry.id))
    return render_template("enquiries/new.html", form=form, organization=organization, listing=listing,
                           has_members=has_active_members(organization.id)), status or _status(form)


@bp.get("/<int:enquiry_id>")
@login_required
def detail(enquiry_id: int):
    return _thread(_enquiry(enquiry_id))


@bp.post("/<int:enquiry_id>/read")
@login_required
def read(enquiry_id: int):
    """Posted by static/js/enquiries.js once the thread is shown; answers 204."""
    enquiry = _enquiry(enquiry_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_read(enquiry, current_user)
    return "", 204


@bp.post("/<int:enquiry_id>/messages")
@login_required
def message(enquiry_id: int):
    enquiry = _enquiry(enquiry_id)
    if not permissions.can_post_message(current_user, enquiry):
        abort(403)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            services.post_message(enquiry, form.body.data, current_user)
        except EnquiryError as error:
            return _thread(enquiry, _show_error(form, error), message_form=form)
        flash(_l("Message sent."), "success")
        return redirect(url_for(".detail", enquiry_id=enquiry.id) + "#thread")
    return _thread(enquiry, _status(form), message_form=form)


@bp.post("/<int:enquiry_id>/accept")
@login_required
def accept(enquiry_id: int):
    return _decide(_enquiry(enquiry_id), accept=True)


@bp.post("/<int:enquiry_id>/decline")
@login_required
def decline(enquiry_id: int):
    return _decide(_enquiry(enquiry_id), accept=False)


def _decide(enquiry: Enquiry, accept: bool):
    allowed = permissions.can_accept_enquiry if accept else permissions.can_decline_enquiry
    if not allowed(current_user, enquiry):
        abort(403)
    form = DecisionForm()
    if form.validate_on_submit():
        use_case = services.accept_enquiry if accept else services.decline_enquiry
        try:
            use_case(enquiry, form.note.data or "", current_user)
        except EnquiryError as error:
            return _thread(enquiry, _show_error(form, error), decision_form=form)
        flash(_l("Accepted. Both sides now see each other’s contact.") if accept
              else _l("Declined. The enterprise has been told."), "success")
        return redirect(url_for(".detail", enquiry_id=enquiry.id))
    return _thread(enquiry, _status(form), decision_form=form)


@bp.route("/<int:enquiry_id>/report", methods=["GET", "POST"])
@login_required
def report(enquiry_id: int):
    enquiry = _enquiry(enquiry_id)
    if not permissions.can_report_enquiry(current_user, enquiry, spam_reports.report_for(enquiry) is not None):
        abort(403)
    form = ReportForm()
    status = None
    if form.validate_on_submit():
        try:
            spam_reports.report_enquiry(enquiry, form.reason.data or "", current_user)
        except EnquiryError as error:
            status = _show_error(form, error)
        else:
            flash(_l("Thank you. Moderators will look at this enquiry."), "success")
            return redirect(url_for(".index", box="received"))
    return render_template("enquiries/report.html", form=form, enquiry=enquiry), status or _status(form)


@bp.get("/reports")
@login_required
def reports():
    if not permissions.can_review_reports(current_user):
        abort(403)
    return render_template("enquiries/reports.html", reports=spam_reports.open_reports(current_user),
                           action_form=ActionForm())


@bp.post("/reports/<int:report_id>/uphold")
@login_required
def uphold(report_id: int):
    return _resolve(report_id, upheld=True)


@bp.post("/reports/<int:report_id>/dismiss")
@login_required
def dismiss(report_id: int):
    return _resolve(report_id, upheld=False)


def _resolve(report_id: int, upheld: bool):
    if not permissions.can_review_reports(current_user):
        abort(403)
    item = db.session.get(EnquiryReport, report_id)
    if item is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        spam_reports.resolve_report(item, upheld, current_user)
    except EnquiryError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_l("Marked as spam; the enquiry is closed.") if upheld else _l("Report dismissed."), "success")
    return redirect(url_for(".reports"))
