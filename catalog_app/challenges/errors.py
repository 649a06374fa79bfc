"""Refusals of the challenge-round services, raised to the views."""
from __future__ import annotations


class RoundError(Exception):
    """A refusal the person can act on; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Forbidden(RoundError):
    """The user may not do this at all (the view answers 403)."""

    def __init__(self, message: str = ""):
        super().__init__(message)
