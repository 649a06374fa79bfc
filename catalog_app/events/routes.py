"""Events under /events: the public list and page, the .ics, registration, and the
organiser's pages (create, edit, publish, cancel, decide registrations). Thin views over
`services`; drafts and cancelled events answer 404 to everyone but staff (`access`)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from catalog_app.accounts.decorators import login_required
from catalog_app.events import access, figures, permissions, services
from catalog_app.events import registration as signup
from catalog_app.events.calendar import event_calendar
from catalog_app.events.forms import KIND_BY_VALUE, ActionForm, EventForm, RegistrationForm
from catalog_app.events.labels import event_label
from catalog_app.events.services import EventError
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error
from catalog_app.models import EventRegistration, EventSide, Region
from catalog_app.models._types import utcnow
from catalog_app.public_urls import public_url
from catalog_app.templating import current_locale

bp = Blueprint("events", __name__, url_prefix="/events")

bp.add_app_template_filter(event_label, "event_label")
bp.add_app_template_global(permissions, "event_permissions")


@bp.app_template_global("my_events")
def my_events():
    """The signed-in member's organization's events, for the workbench panel."""
    return signup.events_of(current_user)


@bp.app_template_global("past_event_figures")
def past_event_figures():
    """Past events with their figures, for the table on /stats."""
    return figures.past_event_figures()


def _event(slug: str):
    return access.event_by_slug(slug, current_user)


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _refused(form, error: EventError) -> int:
    db.session.rollback()
    attach_error(form, error.message, error.field)
    return 422


@bp.get("")
def index():
    kind = KIND_BY_VALUE.get(request.args.get("kind", ""))
    code = request.args.get("region", "")[:12]
    region = db.session.scalar(sa.select(Region).where(Region.code == code)) if code else None
    lists = services.list_events(kind, region.id if region else None)
    shown = lists.upcoming + lists.past
    return render_template("events/index.html", lists=lists, kind=kind, region=region, cities=services.cities(),
                           figures=figures.figures_for(event.id for event in shown),
                           drafts=services.list_events(include_unpublished=True)
                           if permissions.can_manage_events(current_user) else None)


@bp.get("/<slug>")
def detail(slug: str):
    event = _event(slug)
    registration = access.registration_of(current_user, event)
    return render_template(
        "events/detail.html", event=event, figures=figures.event_figures(event),
        criteria=services.published_criteria(event), round_demands=services.public_round_demands(event),
        registration=registration, closed_reason=signup.registration_closed_reason(event),
        is_full=signup.is_full(event), has_ended=event.ends_at < utcnow(), has_started=event.starts_at <= utcnow(),
        action_form=ActionForm())


@bp.get("/<slug>.ics")
def calendar_file(slug: str):
    event = _event(slug)
    url = public_url("events.detail", slug=event.slug)
    body = event_calendar(event, url, request.host.split(":")[0] or "localhost")
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}.ics"'})


@bp.route("/<slug>/register", methods=["GET", "POST"])
@login_required
def register(slug: str):
    event = _event(slug)
    if not permissions.can_register(current_user):
        abort(403)
    side = access.side_for(current_user)
    listings = signup.own_listings(current_user) if side is EventSide.SUPPLIER else []
    form = RegistrationForm()
    form.set_listing_choices(listings)
    status = None
    if form.validate_on_submit():
        try:
            signup.register(event, current_user, form.listings.data or (), form.note.data or "")
        except EventError as error:
            status = _refused(form, error)
        else:
            flash(_l("Registered. The organiser will confirm your place by e-mail."), "success")
            return redirect(url_for(".detail", slug=event.slug))
    return render_template("events/register.html", event=event, form=form, side=side, listings=listings,
                           registration=access.registration_of(current_user, event),
                           closed_reason=signup.registration_closed_reason(event),
                           is_full=signup.is_full(event)), status or _status(form)


@bp.post("/<slug>/withdraw")
@login_required
def withdraw(slug: str):
    event = _event(slug)
    registration = access.registration_of(current_user, event)
    if registration is None or not permissions.can_withdraw(current_user, registration):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        signup.withdraw(registration, current_user)
    except EventError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_l("Your registration is withdrawn."), "success")
    return redirect(url_for(".detail", slug=event.slug))


@bp.get("/<slug>/participants")
@login_required
def participants(slug: str):
    event = _event(slug)
    if not permissions.can_see_participants(current_user, event):
        abort(403)
    return render_template("events/participants.html", event=event, registrations=signup.participants(event))


# --- organiser -----------------------------------------------------------------------------------

def _staff_only():
    if not permissions.can_manage_events(current_user):
        abort(403)


def _editor(form: EventForm, event=None, status=200):
    return render_template("events/edit.html", form=form, event=event), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _staff_only()
    form = EventForm()
    form.set_choices(**services.editor_choices(current_locale()))
    if form.validate_on_submit():
        try:
            event = services.create_event(form.to_input(), current_user)
        except EventError as error:
            return _editor(form, None, _refused(form, error))
        flash(_l("Event saved as a draft. Publish it when it is ready."), "success")
        return redirect(url_for(".detail", slug=event.slug))
    return _editor(form, None, _status(form))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    _staff_only()
    event = _event(slug)
    form = EventForm()
    form.set_choices(**services.editor_choices(current_locale()))
    if request.method == "GET":
        form.fill_from(event)
    elif form.validate_on_submit():
        try:
            services.update_event(event, form.to_input(), current_user)
        except EventError as error:
            return _editor(form, event, _refused(form, error))
        flash(_l("Event saved."), "success")
        return redirect(url_for(".detail", slug=event.slug))
    return _editor(form, event, _status(form))


@bp.post("/<slug>/publish")
@login_required
def publish(slug: str):
    return _change(slug, services.publish_event, _l("Event published."))


@bp.post("/<slug>/cancel")
@login_required
def cancel(slug: str):
    return _change(slug, services.cancel_event, _l("Event cancelled. Registered organizations are told by e-mail."))


def _change(slug: str, use_case, done):
    _staff_only()
    event = _event(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        use_case(event, current_user)
    except EventError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for(".detail", slug=event.slug))


@bp.get("/<slug>/registrations")
@login_required
def registrations(slug: str):
    event = _event(slug)
    if not permissions.can_decide_registrations(current_user):
        abort(403)
    return render_template("events/registrations.html", event=event,
                           registrations=signup.registrations_for_review(event), action_form=ActionForm())


@bp.post("/<slug>/registrations/<int:registration_id>/<any(approve, decline):decision>")
@login_required
def decide(slug: str, registration_id: int, decision: str):
    event = _event(slug)
    if not permissions.can_decide_registrations(current_user):
        abort(403)
    registration = db.session.get(EventRegistration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        signup.decide(registration, decision == "approve", current_user)
    except EventError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(_l("Approved; %(org)s is told by e-mail.", org=registration.organization.name) if decision == "approve"
              else _l("Declined; %(org)s is told by e-mail.", org=registration.organization.name), "success")
    return redirect(url_for(".registrations", slug=event.slug))
