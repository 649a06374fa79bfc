"""Forms of the notification pages. Most carry only the CSRF token: the meaning is in the URL."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, Length


class ConfirmForm(FlaskForm):
    """A one-button POST (feedback confirmation, preferences, re-queue): CSRF only."""


class SaveSearchForm(FlaskForm):
    """The "save this search" button under a catalog list: the section and its query string."""

    section = HiddenField(validators=[AnyOf(("solutions", "products", "cases"))])
    query = HiddenField(validators=[Length(max=1000)])
