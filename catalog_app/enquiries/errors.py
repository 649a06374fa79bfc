"""The errors the enquiry services raise for a rule the user broke."""
from __future__ import annotations


class EnquiryError(ValueError):
    """A translated message for the user; `field` names the form field it belongs beside."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TooManyEnquiries(EnquiryError):
    """A rate limit refused the request (the view answers 429)."""
