"""Forms of the moderation pages. Every POST carries a CSRF token through FlaskForm."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from catalog_app.moderation.labels import REJECTION_REASONS

NOTE_MAX_LENGTH = 1000


class ApproveForm(FlaskForm):
    """No fields but the CSRF token: approving needs no words."""


class RejectForm(FlaskForm):
    reason = RadioField(_l("Reason"), choices=[SelectChoice(code, label) for code, label, _zh in REJECTION_REASONS],
                        validators=[DataRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("Note to the owner"), validators=[Length(max=NOTE_MAX_LENGTH)],
                         description=_l("What should the owner change? Be specific: this text is sent to them."))

    def validate_note(self, field) -> None:
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Explain the reason when you choose “Other”."))


class FileDecisionForm(FlaskForm):
    """Approve or reject one file; rejecting needs a note (checked by the service)."""

    note = TextAreaField(_l("Reason"), validators=[Length(max=NOTE_MAX_LENGTH)])


class VerificationForm(FlaskForm):
    verified = HiddenField(validators=[AnyOf(["1", "0"])])
