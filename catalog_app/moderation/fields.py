"""How each snapshot field is compared and labelled on the review page.

The snapshot stores enum values ("pilot", "summary_only"); `display_value` turns them back
into the translated labels the catalog shows, so the moderator reads what the public will.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from catalog_app.labels import label
from catalog_app.models import Confidentiality, ListingKind, MaturityStage
from catalog_app.moderation.diffing import LIST, TEXT, VALUE

LISTING_KINDS = {
    "title": TEXT, "kind": VALUE, "summary": TEXT, "body": TEXT, "keywords": TEXT,
    "industries": LIST, "scenarios": LIST, "technologies": LIST,
    "maturity_trl": VALUE, "maturity_stage": VALUE, "expires_at": VALUE,
    "model_number": TEXT, "price_text": TEXT, "delivery_mode": TEXT, "delivery_weeks": VALUE,
    "customer_name": TEXT, "problem": TEXT, "deployment": TEXT, "deployed_year": VALUE,
    "outcomes": LIST,
}
DEMAND_KINDS = {
    "title": TEXT, "summary": TEXT, "background": TEXT, "requirements": TEXT,
    "expected_outcomes": TEXT, "data_available": TEXT, "confidential_details": TEXT,
    "confidentiality": VALUE, "industries": LIST, "scenarios": LIST, "technologies": LIST, "region": VALUE,
    "budget_min": VALUE, "budget_max": VALUE, "deadline": VALUE,
    "is_challenge": VALUE, "prize_amount": VALUE, "challenge_deadline": VALUE,
}

FIELD_LABELS = {
    "title": _l("Title"), "kind": _l("Type"), "summary": _l("Summary"), "body": _l("Description"),
    "keywords": _l("Keywords"), "industries": _l("Industries"), "scenarios": _l("Scenarios"),
    "technologies": _l("Technologies"), "maturity_trl": _l("Technology readiness (TRL)"),
    "maturity_stage": _l("Deployment stage"), "expires_at": _l("Listed until"),
    "model_number": _l("Model number"), "price_text": _l("Price"), "delivery_mode": _l("Delivery mode"),
    "delivery_weeks": _l("Delivery time (weeks)"), "customer_name": _l("Customer"),
    "problem": _l("Problem"), "deployment": _l("Deployment"), "deployed_year": _l("Year deployed"),
    "outcomes": _l("Measured outcomes"), "background": _l("Background"),
    "requirements": _l("Requirements"), "expected_outcomes": _l("Expected outcomes"),
    "data_available": _l("Data available"),
    "confidential_details": _l("Confidential details"), "confidentiality": _l("Visibility"),
    "region": _l("Region"), "budget_min": _l("Budget from (×10k CNY)"),
    "budget_max": _l("Budget up to (×10k CNY)"), "deadline": _l("Deadline"),
    "is_challenge": _l("Open challenge"), "prize_amount": _l("Prize (×10k CNY)"),
    "challenge_deadline": _l("Entries close"),
}

_ENUM_BY_FIELD: dict[str, type[enum.Enum]] = {
    "kind": ListingKind, "maturity_stage": MaturityStage, "confidentiality": Confidentiality,
}


def kinds_for(object_type: str) -> dict[str, str]:
    return LISTING_KINDS if object_type == "listing" else DEMAND_KINDS


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def display_value(name: str, value) -> str:
    """A snapshot value as the public pages would show it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    enum_cls = _ENUM_BY_FIELD.get(name)
    if enum_cls is not None:
        try:
            return label(enum_cls(value))
        except ValueError:
            return str(value)
    return str(value)
