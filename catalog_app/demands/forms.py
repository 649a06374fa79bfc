"""Forms of the demands blueprint: the demand editor, attachments, action buttons."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from catalog_app.demands.services import DemandInput
from catalog_app.models import Confidentiality
from catalog_app.parameters import parse_id
from catalog_app.titles import VisibleText

TITLE_MAX = 120
SUMMARY_MAX = 500
TEXT_MAX = 5000
AMOUNT_MAX = 1_000_000  # 万元: ten billion yuan is beyond any demand
CONFIDENTIALITY_BY_VALUE = {c.value: c for c in Confidentiality}


def _strip(value):
    """Surrounding space removed and CRLF as one line break: a browser submits a textarea's
    line breaks as CRLF, and the character counter beside the field counts each as one."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _text(label, maximum=TEXT_MAX, required=False):
    validators = [InputRequired()] if required else []
    validators.append(Length(max=maximum, message=_l("At most %(max)d characters.")))
    return TextAreaField(label, filters=[_strip], validators=validators)


def _amount(label):
    return IntegerField(label, validators=[Optional(), NumberRange(
        min=0, max=AMOUNT_MAX, message=_l("Enter an amount between %(min)s and %(max)s.")),
    ])


def _in_future(form, field):
    if field.data is not None and field.data <= date.today():
        raise ValidationError(_l("The date must be in the future."))


class DemandForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[
        InputRequired(), VisibleText(), Length(max=TITLE_MAX, message=_l("At most %(max)d characters."))])
    summary = _text(_l("Public summary"), SUMMARY_MAX)
    background = _text(_l("Current process and pain point"))
    requirements = _text(_l("Technical requirements"))
    expected_outcomes = _text(_l("Expected outcomes and acceptance criteria"))
    data_available = _text(_l("Data available"))
    industries = SelectMultipleField(_l("Industries"), coerce=int, validate_choice=True)
    scenarios = SelectMultipleField(_l("Scenarios"), coerce=int, validate_choice=True)
    technologies = SelectMultipleField(_l("Technologies"), coerce=int, validate_choice=True)
    region = SelectField(_l("Region (city or district)"), validate_choice=True)
    budget_min = _amount(_l("Budget from (×10k CNY)"))
    budget_max = _amount(_l("Budget up to (×10k CNY)"))
    deadline = DateField(_l("Deadline for proposals"), validators=[Optional(), _in_future])
    confidentiality = RadioField(_l("Who sees the details"), default=Confidentiality.PUBLIC.value, choices=[
        SelectChoice(Confidentiality.PUBLIC.value, _l("Everyone: the whole demand is public")),
        SelectChoice(Confidentiality.SUMMARY_ONLY.value,
                     _l("Summary only: details go to suppliers I approve")),
    ])
    confidential_details = _text(_l("Confidential details"))
    is_challenge = BooleanField(_l("Open challenge (揭榜挂帅): suppliers compete for a prize"))
    prize_amount = IntegerField(_l("Prize (×10k CNY)"), validators=[Optional(), NumberRange(
        min=1, max=AMOUNT_MAX, message=_l("Enter an amount between %(min)s and %(max)s."))])
    challenge_deadline = DateField(_l("Entries close on"), validators=[Optional(), _in_future])
    save_draft = SubmitField(_l("Save draft"))
    submit_review = SubmitField(_l("Submit for review"))

    def set_choices(self, industries, scenarios, technologies, regions) -> None:
        """Choices come from the database as (id, name, group) triples; the view passes them in."""
        for field_, triples in ((self.industries, industries), (self.scenarios, scenarios),
                                (self.technologies, technologies)):
            field_.choices = [SelectChoice(value, text, optgroup=group) for value, text, group in triples]
        self.region.choices = [SelectChoice("", _l("Same as the organization"))] + [
            SelectChoice(str(value), text, optgroup=group) for value, text, group in regions]

    def validate_budget_max(self, field):
        if field.data is not None and self.budget_min.data is not None and self.budget_min.data > field.data:
            raise ValidationError(_l("The maximum must not be lower than the minimum."))

    def validate_challenge_deadline(self, field):
        if self.is_challenge.data and self.deadline.data is not None and field.data > self.deadline.data:
            raise ValidationError(_l("The challenge must close on or before the demand deadline."))

    def validate(self, extra_validators=None) -> bool:
        """An empty optional field skips its inline validators, so "required in challenge mode"
        is checked here."""
        valid = super().validate(extra_validators)
        if self.is_challenge.data and self.challenge_deadline.data is None and not self.challenge_deadline.errors:
            self.challenge_deadline.errors = [*self.challenge_deadline.errors,
                                              _l("An open challenge needs a closing date for entries.")]
            valid = False
        return valid

    def to_input(self) -> DemandInput:
        is_challenge = bool(self.is_challenge.data)
        return DemandInput(
            title=self.title.data or "", summary=self.summary.data or "", background=self.background.data or "",
            requirements=self.requirements.data or "", expected_outcomes=self.expected_outcomes.data or "",
            data_available=self.data_available.data or "", confidential_details=self.confidential_details.data or "",
            confidentiality=CONFIDENTIALITY_BY_VALUE.get(self.confidentiality.data, Confidentiality.PUBLIC),
            industry_ids=tuple(self.industries.data or ()), scenario_ids=tuple(self.scenarios.data or ()),
            technology_ids=tuple(self.technologies.data or ()),
            region_id=parse_id(self.region.data),
            budget_min=self.budget_min.data, budget_max=self.budget_max.data, deadline=self.deadline.data,
            is_challenge=is_challenge, prize_amount=self.prize_amount.data if is_challenge else None,
            challenge_deadline=self.challenge_deadline.data if is_challenge else None,
        )


def demand_form_data(values: DemandInput) -> dict:
    """Initial values of the editor for a saved demand (`services.input_of`)."""
    return {
        **{name: getattr(values, name) for name in (
            "title", "summary", "background", "requirements", "expected_outcomes", "data_available",
            "confidential_details", "budget_min", "budget_max", "deadline", "is_challenge", "prize_amount",
            "challenge_deadline")},
        "confidentiality": values.confidentiality.value,
        "industries": list(values.industry_ids), "scenarios": list(values.scenario_ids),
        "technologies": list(values.technology_ids),
        "region": str(values.region_id) if values.region_id else "",
    }


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])
    is_public = BooleanField(_l("Public: anyone may open it once the demand is published"))


class SubmitForm(FlaskForm):
    """The submit button; `confirm` is set by the "submit anyway" button of the quality report."""

    confirm = BooleanField()


class ActionForm(FlaskForm):
    """Buttons that change a demand's status (withdraw, close, mark solved): only the CSRF token."""
