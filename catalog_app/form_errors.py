"""Where a service's refusal shows on a form.

Services raise errors that may name the field they concern ("budget", "email"); a view
shows the message beside that field, or above the form when it names none or one the form
does not have. One rule for every feature's views, so a refusal never disappears.
"""
from __future__ import annotations


def attach_error(form, message, field_name: str | None) -> None:
    field = getattr(form, field_name, None) if field_name else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
