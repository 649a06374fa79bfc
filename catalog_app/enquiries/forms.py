"""Forms of the enquiries blueprint. Views read plain values from them for the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from catalog_app.enquiries.services import BODY_MAX, BUDGET_MAX, MESSAGE_MAX, REASON_MAX, EnquiryInput
from catalog_app.titles import VisibleText


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class EnquiryForm(FlaskForm):
    body = TextAreaField(_l("What do you need?"), filters=[_strip], validators=[
        DataRequired(_l("Describe what you need.")), VisibleText(), Length(max=BODY_MAX)])
    budget = IntegerField(_l("Budget (10k CNY)"), validators=[
        Optional(), NumberRange(min=0, max=BUDGET_MAX, message=_l("Enter an amount between 0 and %(max)d.",
                                                                  max=BUDGET_MAX))])
    deadline = DateField(_l("Needed by"), validators=[Optional()])
    demand_id = SelectField(_l("Related demand"), coerce=int, validate_choice=True)

    def set_demand_choices(self, demands) -> None:
        self.demand_id.choices = [(0, _l("None"))] + [(demand.id, demand.title) for demand in demands]

    def to_input(self) -> EnquiryInput:
        return EnquiryInput(body=self.body.data or "", budget=self.budget.data, deadline=self.deadline.data,
                            demand_id=self.demand_id.data or None)


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), filters=[_strip], validators=[
        DataRequired(_l("Write a message.")), VisibleText(), Length(max=MESSAGE_MAX)])


class DecisionForm(FlaskForm):
    """Accept or decline, with an optional note that joins the thread."""

    note = TextAreaField(_l("Note to the enterprise (optional)"), filters=[_strip],
                         validators=[Length(max=MESSAGE_MAX)])


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Why is this spam? (optional)"), filters=[_strip], validators=[Length(max=REASON_MAX)])
