"""The errors the proposal services raise for a rule the user broke."""
from __future__ import annotations


class ProposalError(ValueError):
    """A translated message for the user; `field` names the form field it belongs beside."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TooManyMessages(ProposalError):
    """A rate limit refused a message (the view answers 429): each one emails the other side."""
