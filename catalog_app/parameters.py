"""Whole numbers from URLs, query strings and forms: page numbers, page sizes and ids.

One parser for every view and the API, because each hand-written one had its own hole:
`str.isdigit()` accepts "²" and "٣", which `int()` then refuses or reads (a 500 or a
surprise); `int()` refuses more than 4,300 digits with a ValueError; and SQLite cannot
bind an integer past signed 64 bits (an OverflowError at query time). The rules:

* ASCII digits only, nothing else (no sign, no spaces inside, no other scripts' digits);
* a page number lies in 1..MAX_PAGE and a page size in 1..the caller's maximum, else the
  request is refused (400 with a message naming the parameter);
* an id lies in 0..MAX_ID; a well-formed id beyond it names no object, so it is a 404,
  in a path (`<int:...>`, see `BoundedIntegerConverter`) as in a query string.
"""
from __future__ import annotations

import re

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**63 - 1  # signed 64-bit: the widest integer column, and what SQLite can bind
MAX_PAGE = 100_000
_ASCII_DIGITS = re.compile(r"[0-9]+")


class InvalidNumber(ValueError):
    """Not a whole number in range; `message` is translated, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _digits_value(raw: str, maximum: int) -> int | None:
    """The value of an ASCII digit string, or None when it is not one or exceeds `maximum`.

    Leading zeros are dropped before the length check, so `int()` never sees more digits
    than `maximum` has (no 4,300-digit ValueError, no slow conversion of a huge string).
    """
    if not _ASCII_DIGITS.fullmatch(raw):
        return None
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    value = int(digits)
    return value if value <= maximum else None


def parse_whole_number(raw: str, name: str, minimum: int = 1, maximum: int = MAX_PAGE) -> int:
    """`raw` (already stripped) as an int in `minimum`..`maximum`.

    :param name: the parameter's name, quoted in the message.
    :raises InvalidNumber: for anything but ASCII digits, or a value out of range.
    """
    if not _ASCII_DIGITS.fullmatch(raw):
        raise InvalidNumber(_("“%(name)s” must be a whole number of at least 1.", name=name))
    value = _digits_value(raw, maximum)
    if value is None:
        raise InvalidNumber(_("“%(name)s” may be at most %(maximum)d.", name=name, maximum=maximum))
    if value < minimum:
        raise InvalidNumber(_("“%(name)s” must be a whole number of at least 1.", name=name))
    return value


def parse_id(raw: str | None) -> int | None:
    """A form or query value as an id: None when it is not ASCII digits or exceeds MAX_ID.

    For lists of ids posted by a form (checkboxes, selects), where a value that is not an
    id simply names nothing.
    """
    return _digits_value(raw.strip(), MAX_ID) if isinstance(raw, str) else None


# --- request helpers: they abort, for views ---------------------------------------------------

def page_arg(name: str = "page") -> int:
    """The page number in the query string (1 when absent or empty); 400 when malformed."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return 1
    try:
        return parse_whole_number(raw, name, 1, MAX_PAGE)
    except InvalidNumber as error:
        abort(400, description=error.message)


def id_arg(name: str) -> int | None:
    """An id in the query string (None when absent or empty): 400 when it is not digits,
    404 when it is beyond MAX_ID (no object has it)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not _ASCII_DIGITS.fullmatch(raw):
        abort(400, description=_("Invalid filter value."))
    value = _digits_value(raw, MAX_ID)
    if value is None:
        abort(404)
    return value


def id_list_form(name: str) -> list[int]:
    """Ids posted under `name` (repeated); 400 when one of them is not an id."""
    ids = [parse_id(value) for value in request.form.getlist(name)]
    if any(value is None for value in ids):
        abort(400, description=_("Invalid filter value."))
    return ids


# --- path converter ---------------------------------------------------------------------------

class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` for this app: ASCII digits, at most MAX_ID unless the rule sets `max`.

    Werkzeug's own converter matches any Unicode digit (`\\d`) and has no upper bound, so
    `/solutions/99999999999999999999999` reached SQLite and failed with an OverflowError.
    A value out of range does not match the rule: 404, as for an id that does not exist.
    """

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-").lstrip("0")) > len(str(self.max)):
            raise ValidationError()
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Replace the `int` converter before any blueprint adds a rule, so every `<int:...>` is bounded."""
    app.url_map.converters["int"] = BoundedIntegerConverter
