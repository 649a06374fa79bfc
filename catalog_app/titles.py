"""The one rule for names people read: a title must show at least one visible character.

A title of spaces, ideographic spaces (U+3000), no-break spaces or zero-width characters
(U+200B, U+200D, U+FEFF, the Cf "format" category) passes a plain `strip()` or a length
check, yet renders as nothing: an empty card in the catalog, a blank subject in a mail.
Listings, demands, proposals and organization names all ask `has_visible_text`; forms use
`VisibleText`, the API's schemas `visible_text_problem`, services `has_visible_text`.
"""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# Separators (Zs, Zl, Zp), format characters (Cf: zero-width space and joiners, BOM,
# bidi marks), controls (Cc) and unassigned code points never show anything by themselves.
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc", "Cn"})

BLANK_MESSAGE = _l("Enter visible text, not only spaces or invisible characters.")


def visible_text(value: str | None) -> str:
    """`value` without its invisible characters (used to test, never to store)."""
    return "".join(ch for ch in value or "" if not ch.isspace()
                   and unicodedata.category(ch) not in INVISIBLE_CATEGORIES)


def has_visible_text(value: str | None) -> bool:
    return bool(visible_text(value))


def visible_text_problem(value: str | None) -> str | None:
    """The message for a blank title (in the request's language), or None when it is fine."""
    return None if has_visible_text(value) else str(BLANK_MESSAGE)


class VisibleText:
    """WTForms validator: refuse a value that is empty once invisible characters are gone.

    Place it after `InputRequired`/`DataRequired`, so an empty field keeps their message.
    """

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and not has_visible_text(field.data):
            raise ValidationError(self.message or BLANK_MESSAGE)
