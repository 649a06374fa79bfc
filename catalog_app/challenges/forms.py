"""Forms of the challenges blueprint. Score fields are per criterion, so the sheet's 0-10
controls are read from the request by name (`score-<n>`) and checked by the service; the
forms here carry the CSRF token and the fixed fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from catalog_app.challenges.screening import COMMENT_MAX


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class EnterForm(FlaskForm):
    demand_id = IntegerField(_l("Demand"), validators=[InputRequired()])


class ScoreForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=COMMENT_MAX)])


class DecisionForm(FlaskForm):
    status = HiddenField(validators=[InputRequired()])


class ExpertForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[InputRequired(), Length(max=60)])
    email = StringField(_l("Email"), validators=[InputRequired(), Length(max=254),
                                                 Email(message=_l("Enter a valid email address."))])


class AssignForm(FlaskForm):
    user_id = SelectField(_l("Expert"), coerce=int, validators=[InputRequired()])


class PitchForm(FlaskForm):
    organization_id = SelectField(_l("Supplier"), coerce=int, validators=[InputRequired()])


class WinnerForm(FlaskForm):
    is_winner = HiddenField(validators=[InputRequired()])
