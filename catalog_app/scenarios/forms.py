"""Forms of the typical-scenario lists. Every POST carries a CSRF token through FlaskForm."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

CITATION_MAX_LENGTH = 300


class SelectionForm(FlaskForm):
    """Add a scenario to a year's list; the view fills `scenario_id.choices` from the taxonomy."""

    scenario_id = SelectField(_l("Scenario"), coerce=int, validators=[DataRequired(message=_l("Choose a scenario."))])
    citation = StringField(
        _l("Why it was selected"),
        validators=[DataRequired(message=_l("Cite the source or the reason.")), Length(min=4, max=CITATION_MAX_LENGTH)],
        description=_l("A short citation, e.g. the published list and the reason: “2025 typical scenarios, No. 12”."),
    )
    is_top = BooleanField(_l("Also on the year's TOP list"))


class RemoveSelectionForm(FlaskForm):
    """No fields but the CSRF token."""
