"""Meetings under /events/<slug>/meetings: thin views over `services` and `scheduler`.

Participants (approved registrations, `events.access`) see counterparts, book and keep an
agenda; staff generate slots, see the grid and move meetings. A meeting of other people
answers 404, so nobody learns who meets whom.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from catalog_app.accounts.decorators import login_required
from catalog_app.events import access
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error
from catalog_app.formatting import local_datetime
from catalog_app.meetings import ics, services, slots
from catalog_app.meetings.counterparts import reason_text, recommended_counterparts
from catalog_app.meetings.forms import ActionForm, MoveForm, OutcomeForm, RequestForm, SlotsForm, slot_choices
from catalog_app.meetings.scheduler import SchedulingError
from catalog_app.models import Event, Meeting, MeetingStatus, OutcomeKind
from catalog_app.models._types import utcnow

bp = Blueprint("meetings", __name__, url_prefix="/events/<slug>/meetings")


@bp.app_template_global()
def meetings_panel(event: Event) -> Markup:
    """The event page's meetings box: the viewer's counts and links, or the grid for staff."""
    registration = access.approved_registration(current_user, event)
    counts = None
    if registration is not None:
        mine = services.meetings_of(registration)
        counts = {"accepted": sum(m.status is MeetingStatus.ACCEPTED for m in mine),
                  "incoming": sum(m.status is MeetingStatus.REQUESTED and m.invitee_id == registration.id
                                  for m in mine),
                  "outgoing": sum(m.status is MeetingStatus.REQUESTED and m.requester_id == registration.id
                                  for m in mine)}
    return Markup(render_template("meetings/_event_panel.html", event=event, registration=registration,
                                  counts=counts, is_organiser=access.is_organiser(current_user, event),
                                  slot_count=len(event.slots)))


@bp.context_processor
def _page_helpers():
    """The event page's link: the `events` blueprint owns it (absent in a bare test app)."""
    def event_page_url(event: Event) -> str:
        if "events.detail" in current_app.view_functions:
            return url_for("events.detail", slug=event.slug)
        return url_for("meetings.counterparts", slug=event.slug)
    return {"event_page_url": event_page_url}


def _event(slug: str) -> Event:
    return access.event_by_slug(slug, current_user)


def _participant(event: Event):
    registration = access.approved_registration(current_user, event)
    if registration is None:
        abort(403)
    return registration


def _staff(event: Event) -> None:
    if not access.is_organiser(current_user, event):
        abort(403)


def _meeting(event: Event, meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event.id:
        abort(404)
    return meeting


def _slot_label(slot) -> str:
    return f"{local_datetime(slot.starts_at)}–{local_datetime(slot.ends_at)[-5:]}"


@bp.get("/")
@login_required
def counterparts(slug: str):
    event = _event(slug)
    registration = _participant(event)
    found = recommended_counterparts(registration, reader=current_user)
    free, open_with = services.booking_options(registration, [c.registration.id for c in found])
    return render_template("meetings/counterparts.html", event=event, registration=registration,
                           counterparts=found, free=free, open_with=open_with, slot_label=_slot_label,
                           max_requests=services.MAX_OPEN_REQUESTS)


@bp.post("/request/<int:registration_id>")
@login_required
def request_meeting(slug: str, registration_id: int):
    event = _event(slug)
    registration = _participant(event)
    form = RequestForm()
    form.slot_id.choices = slot_choices(event.slots, _slot_label)
    if not form.validate():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("meetings.counterparts", slug=slug))
    match = next(iter(recommended_counterparts(registration, reader=current_user, only=registration_id)), None)
    try:
        services.request_meeting(
            registration, registration_id, form.slot_id.data, form.message.data or "",
            reason=reason_text(match) if match else "",
            demand_id=match.demand.id if match and match.demand else None,
            listing_id=match.listing.id if match and match.listing else None)
    except SchedulingError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("meetings.counterparts", slug=slug))
    flash(_l("Your request was sent. You will be told when the other side answers."), "success")
    return redirect(url_for("meetings.agenda", slug=slug))


_ACTIONS = {"accept": (services.accept_meeting, _l("Meeting accepted: it is on both agendas.")),
            "decline": (services.decline_meeting, _l("Request declined.")),
            "cancel": (services.cancel_meeting, _l("Meeting cancelled; the other side was told."))}


@bp.post("/<int:meeting_id>/<any(accept, decline, cancel):action>")
@login_required
def act(slug: str, meeting_id: int, action: str):
    event = _event(slug)
    registration = _participant(event)
    _meeting(event, meeting_id)
    if not ActionForm().validate():
        abort(400)
    use_case, done = _ACTIONS[action]
    try:
        use_case(registration, meeting_id)
    except LookupError:
        abort(404)
    except SchedulingError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for("meetings.agenda", slug=slug))


@bp.get("/agenda")
@login_required
def agenda(slug: str):
    event = _event(slug)
    registration = _participant(event)
    mine = services.meetings_of(registration, tuple(MeetingStatus))
    return render_template("meetings/agenda.html", event=event, registration=registration, meetings=mine,
                           now=utcnow(), form=ActionForm(), is_held=services.is_held)


@bp.get("/agenda.ics")
@login_required
def agenda_ics(slug: str):
    event = _event(slug)
    registration = _participant(event)
    body = ics.agenda_calendar(registration, services.accepted_meetings(registration), request.host)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}-meetings.ics"'})


@bp.post("/agenda/email")
@login_required
def agenda_email(slug: str):
    event = _event(slug)
    registration = _participant(event)
    if not ActionForm().validate():
        abort(400)
    services.email_agenda(registration)
    flash(_l("Your agenda is on its way to %(email)s.", email=registration.attendee.email), "success")
    return redirect(url_for("meetings.agenda", slug=slug))


@bp.route("/slots", methods=["GET", "POST"])
@login_required
def slots_page(slug: str):
    event = _event(slug)
    _staff(event)
    form = SlotsForm()
    if form.validate_on_submit():
        try:
            plan = slots.SlotPlan(form.day.data, form.start.data, form.end.data, slots.parse_breaks(form.breaks.data))
            report = slots.generate_slots(event, plan)
        except SchedulingError as error:
            db.session.rollback()
            attach_error(form, error.message, error.field)
        else:
            db.session.commit()
            flash(_l("%(created)d slots created, %(removed)d removed, %(kept)d kept because they have meetings.",
                     created=report.created, removed=report.removed, kept=report.kept), "success")
            return redirect(url_for("meetings.slots_page", slug=slug))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("meetings/slots.html", event=event, form=form, slot_label=_slot_label), status


@bp.get("/grid")
@login_required
def grid(slug: str):
    event = _event(slug)
    _staff(event)
    cells = {(m.slot_id, m.table_number): m for m in services.event_meetings(event)}
    return render_template("meetings/grid.html", event=event, cells=cells, slot_label=_slot_label,
                           tables=range(1, event.meeting_tables + 1), form=_move_form(event))


def _move_form(event: Event) -> MoveForm:
    form = MoveForm()
    form.slot_id.choices = slot_choices(event.slots, _slot_label)
    return form


@bp.post("/<int:meeting_id>/move")
@login_required
def move(slug: str, meeting_id: int):
    event = _event(slug)
    _staff(event)
    meeting = _meeting(event, meeting_id)
    form = _move_form(event)
    if not form.validate():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("meetings.grid", slug=slug))
    try:
        services.move_meeting(meeting, form.slot_id.data, form.table.data)
    except SchedulingError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_l("Meeting moved; both attendees were told."), "success")
    return redirect(url_for("meetings.grid", slug=slug))


@bp.route("/<int:meeting_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(slug: str, meeting_id: int):
    event = _event(slug)
    registration = _participant(event)
    meeting = _meeting(event, meeting_id)
    if registration.id not in (meeting.requester_id, meeting.invitee_id):
        abort(404)
    existing = services.outcome_of(meeting, registration)
    form = OutcomeForm(obj=None if request.method == "POST" else existing)
    if request.method == "GET" and existing is not None:
        form.outcome.data = existing.outcome.value
    if form.validate_on_submit():
        answer = services.OutcomeInput(OutcomeKind(form.outcome.data), form.amount.data, form.note.data or "")
        try:
            services.record_outcome(meeting, registration, answer, current_user)
        except SchedulingError as error:
            db.session.rollback()
            attach_error(form, error.message, error.field)
        else:
            flash(_l("Thank you: your outcome was recorded."), "success")
            return redirect(url_for("meetings.agenda", slug=slug))
    status = 422 if form.errors or form.form_errors else 200
    other = meeting.invitee if meeting.requester_id == registration.id else meeting.requester
    return render_template("meetings/outcome.html", event=event, meeting=meeting, other=other, form=form,
                           held=services.is_held(meeting), slot_label=_slot_label), status
