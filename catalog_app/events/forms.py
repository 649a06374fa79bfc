"""Forms of the events blueprint. Views read plain values from them for the services.

Staff type times in the display zone (UTC+8, what the organiser's programme says); the
form turns them into naive UTC for storage and back for editing.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError

from catalog_app.events.labels import LABELS
from catalog_app.events.services import EventError, EventInput, parse_criteria
from catalog_app.models import Event, EventKind
from catalog_app.titles import VisibleText

TIME_FORMAT = "%Y-%m-%dT%H:%M"
TEXT_MAX = 5000
NOTE_MAX = 500
KIND_BY_VALUE = {kind.value: kind for kind in EventKind}


def _strip(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _at_most(maximum: int):
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def _time(label, required=False):
    return DateTimeLocalField(label, format=TIME_FORMAT,
                              validators=[InputRequired() if required else Optional()])


def _utc(value):
    """A time typed in the display zone as the naive UTC time it is stored as."""
    return to_utc(value) if value is not None else None


def _local(value):
    return to_user_timezone(value).replace(tzinfo=None) if value is not None else None


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class EventForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[InputRequired(), VisibleText(), _at_most(200)])
    kind = SelectField(_l("Kind of event"), validate_choice=True,
                       choices=[SelectChoice(kind.value, LABELS[kind]) for kind in EventKind])
    summary = TextAreaField(_l("Summary"), filters=[_strip], validators=[_at_most(TEXT_MAX)])
    agenda = TextAreaField(_l("Programme"), filters=[_strip], validators=[_at_most(TEXT_MAX)])
    criteria = TextAreaField(_l("Screening criteria"), filters=[_strip], validators=[_at_most(2000)])
    organiser_name = StringField(_l("Organiser"), filters=[_strip], validators=[_at_most(120)])
    starts_at = _time(_l("Starts (UTC+8)"), required=True)
    ends_at = _time(_l("Ends (UTC+8)"), required=True)
    venue = StringField(_l("Venue"), filters=[_strip], validators=[_at_most(200)])
    online_url = StringField(_l("Online link"), filters=[_strip], validators=[
        Optional(), _at_most(300), URL(require_tld=True, message=_l("Enter a full web address (https://...)."))])
    region = SelectField(_l("Region"), validate_choice=True)
    industries = SelectMultipleField(_l("Industries in focus"), coerce=int, validate_choice=True)
    scenarios = SelectMultipleField(_l("Scenarios in focus"), coerce=int, validate_choice=True)
    registration_opens_at = _time(_l("Registration opens (UTC+8)"))
    registration_closes_at = _time(_l("Registration closes (UTC+8)"))
    capacity = IntegerField(_l("Places (organizations; 0 = no limit)"), default=0, validators=[
        InputRequired(), NumberRange(min=0, max=10_000)])
    meeting_minutes = IntegerField(_l("Meeting length (minutes)"), default=20, validators=[
        InputRequired(), NumberRange(min=5, max=240)])
    meeting_tables = IntegerField(_l("Meeting tables"), default=10, validators=[
        InputRequired(), NumberRange(min=0, max=500)])

    def set_choices(self, industries, scenarios, regions) -> None:
        """(id, name, group) triples from the taxonomy; the view passes them in."""
        self.industries.choices = [SelectChoice(v, text, optgroup=group) for v, text, group in industries]
        self.scenarios.choices = [SelectChoice(v, text, optgroup=group) for v, text, group in scenarios]
        self.region.choices = [SelectChoice("", _l("Not tied to a region"))] + [
            SelectChoice(str(v), text, optgroup=group) for v, text, group in regions]

    def fill_from(self, event: Event) -> None:
        """Show a saved event (times back in the display zone)."""
        for name in ("title", "summary", "agenda", "criteria", "organiser_name", "venue", "online_url",
                     "capacity", "meeting_minutes", "meeting_tables"):
            getattr(self, name).data = getattr(event, name)
        self.kind.data = event.kind.value
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(self, name).data = _local(getattr(event, name))
        self.region.data = str(event.region_id) if event.region_id else ""
        self.industries.data = [term.id for term in event.industries]
        self.scenarios.data = [term.id for term in event.scenarios]

    def validate_criteria(self, field):
        try:
            parse_criteria(field.data or "")
        except EventError as error:
            raise ValidationError(error.message) from error

    def validate_ends_at(self, field):
        if field.data is not None and self.starts_at.data is not None and field.data < self.starts_at.data:
            raise ValidationError(_l("The event must end after it starts."))

    def to_input(self) -> EventInput:
        return EventInput(
            title=self.title.data or "", kind=KIND_BY_VALUE[self.kind.data], starts_at=_utc(self.starts_at.data),
            ends_at=_utc(self.ends_at.data), summary=self.summary.data or "", agenda=self.agenda.data or "",
            criteria=self.criteria.data or "", organiser_name=self.organiser_name.data or "",
            venue=self.venue.data or "", online_url=self.online_url.data or "",
            region_id=int(self.region.data) if self.region.data else None,
            industry_ids=tuple(self.industries.data or ()), scenario_ids=tuple(self.scenarios.data or ()),
            registration_opens_at=_utc(self.registration_opens_at.data),
            registration_closes_at=_utc(self.registration_closes_at.data),
            capacity=self.capacity.data or 0, meeting_minutes=self.meeting_minutes.data or 20,
            meeting_tables=self.meeting_tables.data if self.meeting_tables.data is not None else 10)


class RegistrationForm(FlaskForm):
    """Suppliers tick the listings they bring; everyone may leave a note for the organiser."""

    listings = SelectMultipleField(_l("Listings you bring"), coerce=int, validate_choice=True)
    note = TextAreaField(_l("Note to the organiser (optional)"), filters=[_strip], validators=[_at_most(NOTE_MAX)])

    def set_listing_choices(self, listings) -> None:
        self.listings.choices = [SelectChoice(listing.id, listing.title) for listing in listings]
