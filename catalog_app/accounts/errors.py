"""Refusals of the account services, raised to the views."""
from __future__ import annotations


class AccountError(Exception):
    """A refusal the person can act on; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(AccountError):
    """The user may not do this at all (the view answers 403)."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message, field)


class TooManyAttempts(AccountError):
    """A rate limit refused the request (the view answers 429)."""
