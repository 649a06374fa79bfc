"""A service's refusal, and where it shows on a form.

Services raise a `Refusal` (or a feature's subclass of it: `DemandError`,
`ListingActionError`, `TokenError`) that may name the field it concerns ("budget",
"email"); a view shows the message beside that field, or above the form when it names none
or one the form does not have. One rule for every feature's views, so a refusal never
disappears.
"""
from __future__ import annotations


class Refusal(ValueError):
    """A rule the user broke; `message` is shown beside `field`, or above the form when None."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self._message = message  # lazy: translated when shown, so services also run outside requests
        self.field = field

    @property
    def message(self) -> str:
        return str(self._message)


def attach_error(form, message, field_name: str | None) -> None:
    field = getattr(form, field_name, None) if field_name else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
