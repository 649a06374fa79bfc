"""Forms of the meetings blueprint; views pass plain values from them to the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from catalog_app.meetings.services import MESSAGE_MAX
from catalog_app.models import OutcomeKind

AMOUNT_MAX = 10_000_000  # 万元: 1,000 亿元, far above any single agreement


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that changes state (accept, decline, cancel, e-mail my agenda): the CSRF token only."""


class RequestForm(FlaskForm):
    slot_id = SelectField(_l("Time slot"), coerce=int, validate_choice=True,
                          validators=[DataRequired(_l("Choose a time slot."))])
    message = TextAreaField(_l("Message (optional)"), filters=[_strip], validators=[Length(max=MESSAGE_MAX)])


class SlotsForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Choose the day."))])
    start = TimeField(_l("First slot starts"), validators=[InputRequired(_l("Enter the start time."))])
    end = TimeField(_l("Last slot ends by"), validators=[InputRequired(_l("Enter the end time."))])
    breaks = StringField(_l("Breaks"), filters=[_strip], validators=[Length(max=200)])


def slot_choices(slots, label) -> list[SelectChoice]:
    return [SelectChoice(slot.id, label(slot)) for slot in slots]


class MoveForm(FlaskForm):
    slot_id = SelectField(_l("Slot"), coerce=int, validate_choice=True)
    table = IntegerField(_l("Table"), validators=[InputRequired(_l("Enter a table number.")),
                                                  NumberRange(min=1, max=999)])


OUTCOME_CHOICES = [
    SelectChoice(OutcomeKind.NO_FIT.value, _l("No fit")),
    SelectChoice(OutcomeKind.FOLLOW_UP.value, _l("We will follow up")),
    SelectChoice(OutcomeKind.INTENT.value, _l("Intent agreement reached")),
]


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("Outcome"), choices=OUTCOME_CHOICES,
                         validators=[InputRequired(_l("Choose an outcome."))])
    amount = IntegerField(_l("Declared value (10k CNY)"), validators=[
        Optional(), NumberRange(min=0, max=AMOUNT_MAX, message=_l("Enter an amount between 0 and %(max)d.",
                                                                  max=AMOUNT_MAX))])
    note = TextAreaField(_l("Note (optional)"), filters=[_strip], validators=[Length(max=1000)])
