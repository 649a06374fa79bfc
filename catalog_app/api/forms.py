"""The account page's form for a new API token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[
        DataRequired(message=_l("This field is required.")),
        Length(max=60, message=_l("Enter at most %(max)d characters."))])
    scopes = SelectMultipleField(_l("Permissions"), choices=[], validate_choice=True,
                                 widget=widgets.ListWidget(prefix_label=False),
                                 option_widget=widgets.CheckboxInput())
