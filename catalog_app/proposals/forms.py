"""Forms of the proposals blueprint. Views read plain values from them for the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from catalog_app.models import DeclineReason
from catalog_app.proposals.services import (
    AGREEMENT_NOTE_MAX,
    AMOUNT_MAX,
    APPROACH_MAX,
    DECLINE_NOTE_MAX,
    MESSAGE_MAX,
    TIMELINE_MAX,
    ProposalInput,
)
from catalog_app.titles import VisibleText

DECLINE_REASON_LABELS = {
    DeclineReason.NOT_A_FIT: _l("Not a fit"),
    DeclineReason.TOO_EARLY: _l("Too early"),
    DeclineReason.COST: _l("Cost too high"),
    DeclineReason.UNCLEAR_BENEFIT: _l("Unclear benefit"),
    DeclineReason.OTHER: _l("Other"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _amount(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=AMOUNT_MAX,
                                                                  message=_l("Enter an amount between 0 and %(max)d.",
                                                                             max=AMOUNT_MAX))])


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class ProposalForm(FlaskForm):
    approach = TextAreaField(_l("Approach"), filters=[_strip], validators=[
        DataRequired(_l("Describe your approach.")), VisibleText(), Length(max=APPROACH_MAX)])
    timeline = StringField(_l("Timeline"), filters=[_strip], validators=[Length(max=TIMELINE_MAX)])
    price_min = _amount(_l("Price from (10k CNY)"))
    price_max = _amount(_l("Price to (10k CNY)"))
    listing_ids = SelectMultipleField(_l("Linked solutions and products"), coerce=int, validate_choice=True)
    attachments = MultipleFileField(_l("Attachments"))

    def set_listing_choices(self, listings) -> None:
        self.listing_ids.choices = [SelectChoice(listing.id, listing.title) for listing in listings]

    def validate_price_max(self, field):
        if field.data is not None and self.price_min.data is not None and self.price_min.data > field.data:
            raise ValidationError(_l("The lower price must not exceed the upper price."))

    def to_input(self) -> ProposalInput:
        return ProposalInput(approach=self.approach.data or "", timeline=self.timeline.data or "",
                             price_min=self.price_min.data, price_max=self.price_max.data,
                             listing_ids=list(self.listing_ids.data or []))

    def uploaded_files(self) -> list[tuple[str, object]]:
        return [(upload.filename, upload.stream) for upload in (self.attachments.data or [])
                if getattr(upload, "filename", None)]


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), filters=[_strip], validators=[
        DataRequired(_l("Write a message.")), VisibleText(), Length(max=MESSAGE_MAX)])


class DeclineForm(FlaskForm):
    reason = RadioField(_l("Reason"),
                        choices=[SelectChoice(reason.value, label) for reason, label in DECLINE_REASON_LABELS.items()],
                        validators=[InputRequired(_l("Choose a reason."))])
    note = TextAreaField(_l("Explanation for the supplier"), filters=[_strip], validators=[Length(max=DECLINE_NOTE_MAX)])

    def validate_note(self, field):
        if self.reason.data == DeclineReason.OTHER.value and not field.data:
            raise ValidationError(_l("Explain the reason when you choose “Other”."))

    @property
    def reason_value(self) -> DeclineReason | None:
        try:
            return DeclineReason(self.reason.data)
        except ValueError:
            return None


class AgreementForm(FlaskForm):
    amount = IntegerField(_l("Amount (10k CNY)"), validators=[
        InputRequired(_l("Enter the amount of the agreement.")),
        NumberRange(min=0, max=AMOUNT_MAX, message=_l("Enter an amount between 0 and %(max)d.", max=AMOUNT_MAX))])
    note = TextAreaField(_l("Note"), filters=[_strip], validators=[Length(max=AGREEMENT_NOTE_MAX)])


class AccessRequestForm(FlaskForm):
    note = TextAreaField(_l("Why your organization needs the details"), filters=[_strip],
                         validators=[Length(max=500)])


class TermsForm(FlaskForm):
    accept = BooleanField(_l("I accept these confidentiality terms on behalf of my organization."),
                          validators=[DataRequired(_l("Accept the terms to see the details."))])
