from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp


class DismissMatchForm(FlaskForm):
    """Hidden fields only: the button's meaning is in the ids it carries."""

    demand_id = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]{1,12}$")])
    listing_id = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9]{1,12}$")])
