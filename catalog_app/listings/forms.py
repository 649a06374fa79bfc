"""Forms of the listings blueprint: the listing editor, images, import."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from catalog_app.labels import LABELS
from catalog_app.listings.services import ListingInput, OutcomeInput
from catalog_app.models import ListingKind, MaturityStage, OutcomeMetric
from catalog_app.titles import VisibleText

BLANK_OUTCOME_ROWS = 2
MAX_OUTCOME_ROWS = 12
BODY_MAX = 20000
LONG_TEXT_MAX = 5000

OUTCOME_METRIC_LABELS = {
    OutcomeMetric.CYCLE_TIME: _l("Cycle time"),
    OutcomeMetric.EFFICIENCY: _l("Efficiency"),
    OutcomeMetric.COST: _l("Cost"),
    OutcomeMetric.DEFECT_RATE: _l("Defect rate"),
    OutcomeMetric.YIELD: _l("Yield"),
    OutcomeMetric.ENERGY: _l("Energy use"),
    OutcomeMetric.LABOR: _l("Labour"),
    OutcomeMetric.INVENTORY: _l("Inventory"),
    OutcomeMetric.DOWNTIME: _l("Downtime"),
    OutcomeMetric.ACCURACY: _l("Accuracy"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _not_in_past(form, field):
    if field.data is not None and field.data < date.today():
        raise ValidationError(_l("The expiry date must not be in the past."))


class OutcomeForm(Form):
    """One before/after row; a row left completely empty is ignored."""

    metric = SelectField(_l("Metric"), choices=[SelectChoice(m.value, OUTCOME_METRIC_LABELS[m]) for m in OutcomeMetric],
                         validators=[Optional()])
    label = StringField(_l("Label"), filters=[_strip], validators=[Optional(), Length(max=60)])
    before_value = StringField(_l("Before"), filters=[_strip])
    after_value = StringField(_l("After"), filters=[_strip])
    unit = StringField(_l("Unit"), filters=[_strip], validators=[Optional(), Length(max=20)])

    def is_blank(self) -> bool:
        return not any((self.label.data, self.before_value.data, self.after_value.data, self.unit.data))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank():
            return valid
        if not self.label.data:
            self.label.errors.append(_l("Name the measurement."))
            valid = False
        for number in (self.before_value, self.after_value):
            try:
                float(number.data.replace(",", ""))
            except (AttributeError, ValueError):
                number.errors.append(_l("Enter a number."))
                valid = False
        return valid


class ListingForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[InputRequired(), VisibleText(), Length(max=120)])
    summary = TextAreaField(_l("Summary"), filters=[_strip], validators=[Length(max=500)])
    body = TextAreaField(_l("Description"), filters=[_strip], validators=[Length(max=BODY_MAX)])
    keywords = StringField(_l("Keywords"), filters=[_strip], validators=[Length(max=300)])
    industries = SelectMultipleField(_l("Industries"), coerce=int, validate_choice=True)
    scenarios = SelectMultipleField(_l("Scenarios"), coerce=int, validate_choice=True)
    technologies = SelectMultipleField(_l("Technologies"), coerce=int, validate_choice=True)
    maturity_trl = IntegerField(_l("Technology readiness level (TRL)"),
                                validators=[Optional(), NumberRange(min=1, max=9)])
    maturity_stage = SelectField(_l("Deployment stage"), validators=[Optional()],
                                 choices=[SelectChoice("", "—")] + [SelectChoice(s.value, LABELS[s]) for s in MaturityStage])
    expires_at = DateField(_l("Listed until"), validators=[Optional(), _not_in_past])
    # Product
    model_number = StringField(_l("Model number"), filters=[_strip], validators=[Length(max=60)])
    price_text = StringField(_l("Price"), filters=[_strip], validators=[Length(max=60)])
    # Solution
    delivery_mode = StringField(_l("Delivery mode"), filters=[_strip], validators=[Length(max=30)])
    delivery_weeks = IntegerField(_l("Delivery time (weeks)"), validators=[Optional(), NumberRange(min=1, max=520)])
    # Case
    customer_name = StringField(_l("Customer"), filters=[_strip], validators=[Length(max=120)])
    problem = TextAreaField(_l("Problem"), filters=[_strip], validators=[Length(max=LONG_TEXT_MAX)])
    deployment = TextAreaField(_l("Deployment"), filters=[_strip], validators=[Length(max=LONG_TEXT_MAX)])
    deployed_year = IntegerField(_l("Year deployed"), validators=[Optional(), NumberRange(min=1990, max=2100)])
    outcomes = FieldList(FormField(OutcomeForm), min_entries=0, max_entries=MAX_OUTCOME_ROWS)
    linked = SelectMultipleField(_l("Related solutions and products"), coerce=int, validate_choice=True)

    def set_choices(self, industries, scenarios, technologies, linkable) -> None:
        """Choices come from the database as (id, name, group) triples; the view passes them in."""
        for field_, triples in ((self.industries, industries), (self.scenarios, scenarios),
                                (self.technologies, technologies), (self.linked, linkable)):
            field_.choices = [SelectChoice(value, text, optgroup=group) for value, text, group in triples]

    def add_blank_outcomes(self) -> None:
        """Empty rows to type into (there is no JavaScript needed to add a row)."""
        blanks = sum(1 for row in self.outcomes if row.form.is_blank())
        while blanks < BLANK_OUTCOME_ROWS and len(self.outcomes) < MAX_OUTCOME_ROWS:
            self.outcomes.append_entry()
            blanks += 1

    def to_input(self) -> ListingInput:
        outcomes = tuple(
            OutcomeInput(metric=OutcomeMetric(row.form.metric.data or OutcomeMetric.EFFICIENCY.value),
                         label=row.form.label.data, unit=row.form.unit.data or "",
                         before_value=float(row.form.before_value.data.replace(",", "")),
                         after_value=float(row.form.after_value.data.replace(",", "")))
            for row in self.outcomes if not row.form.is_blank()
        )
        return ListingInput(
            title=self.title.data, summary=self.summary.data or "", body=self.body.data or "",
            keywords=self.keywords.data or "",
            industry_ids=tuple(self.industries.data or ()), scenario_ids=tuple(self.scenarios.data or ()),
            technology_ids=tuple(self.technologies.data or ()),
            maturity_trl=self.maturity_trl.data,
            maturity_stage=MaturityStage(self.maturity_stage.data) if self.maturity_stage.data else None,
            expires_at=self.expires_at.data,
            model_number=self.model_number.data or None, price_text=self.price_text.data or None,
            delivery_mode=self.delivery_mode.data or None, delivery_weeks=self.delivery_weeks.data,
            customer_name=self.customer_name.data or None, problem=self.problem.data or None,
            deployment=self.deployment.data or None, deployed_year=self.deployed_year.data,
            outcomes=outcomes, linked_ids=tuple(self.linked.data or ()),
        )


def listing_form_data(listing) -> dict:
    """Initial values of the editor for an existing listing."""
    return {
        "title": listing.title, "summary": listing.summary, "body": listing.body, "keywords": listing.keywords,
        "industries": [t.id for t in listing.industries], "scenarios": [t.id for t in listing.scenarios],
        "technologies": [t.id for t in listing.technologies],
        "maturity_trl": listing.maturity_trl,
        "maturity_stage": listing.maturity_stage.value if listing.maturity_stage else "",
        "expires_at": listing.expires_at,
        **{name: getattr(listing, name) for name in ("model_number", "price_text", "delivery_mode",
                                                      "delivery_weeks", "customer_name", "problem",
                                                      "deployment", "deployed_year")},
        "outcomes": [{"metric": o.metric.value, "label": o.label, "unit": o.unit,
                      "before_value": f"{o.before_value:g}", "after_value": f"{o.after_value:g}"}
                     for o in listing.outcomes],
        "linked": [other.id for other in listing.linked],
    }


class KindForm(FlaskForm):
    kind = SelectField(_l("Type"), choices=[SelectChoice(k.value, LABELS[k]) for k in ListingKind])


class MediaForm(FlaskForm):
    image = FileField(_l("Image"), validators=[FileRequired(_l("Choose an image file."))])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired(_l("Choose a CSV or XLSX file."))])


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{32}$")])


class ActionForm(FlaskForm):
    """Buttons that change a listing (submit, withdraw …): only the CSRF token."""
