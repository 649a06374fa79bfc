"""Translated labels of the proposal enums (the `proposal_label` template filter)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from catalog_app.models import AccessStatus, ProposalStatus
from catalog_app.proposals.forms import DECLINE_REASON_LABELS

LABELS: dict[enum.Enum, object] = {
    ProposalStatus.SUBMITTED: _l("Awaiting response"),
    ProposalStatus.SHORTLISTED: _l("Shortlisted"),
    ProposalStatus.DECLINED: _l("Declined"),
    ProposalStatus.AGREED: _l("Intent agreement"),
    ProposalStatus.WITHDRAWN: _l("Withdrawn"),
    AccessStatus.REQUESTED: _l("Awaiting decision"),
    AccessStatus.APPROVED: _l("Approved"),
    AccessStatus.DECLINED: _l("Not granted"),
    **DECLINE_REASON_LABELS,
}


def proposal_label(value: enum.Enum | None) -> str:
    if value is None:
        return ""
    return str(LABELS.get(value, value.value))
