"""Translated words the moderation pages and emails show for stored codes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from catalog_app.models import ReviewDecision, UserRole

ACTION_LABELS = {
    "submitted": _l("Submitted for review"),
    "approved": _l("Approved and published"),
    "rejected": _l("Rejected"),
    "file_approved": _l("File approved"),
    "file_rejected": _l("File rejected"),
    "organization_verified": _l("Organization verified"),
    "organization_unverified": _l("Organization verification withdrawn"),
    "organization_declined": _l("Organization verification declined"),
    "revision_repaired": _l("Missing review snapshot written (repair)"),
}

DECISION_LABELS = {
    ReviewDecision.PENDING: _l("Waiting for review"),
    ReviewDecision.APPROVED: _l("Approved"),
    ReviewDecision.REJECTED: _l("Rejected"),
    ReviewDecision.WITHDRAWN: _l("Replaced by a newer submission"),
}

ROLE_LABELS = {
    UserRole.MODERATOR: _l("Moderator"),
    UserRole.ADMIN: _l("Administrator"),
    UserRole.EXPERT: _l("Expert reviewer"),
    UserRole.SUPPLIER: _l("Supplier"),
    UserRole.ENTERPRISE: _l("Enterprise"),
}

OBJECT_TYPE_LABELS = {
    "listing": _l("Listing"),
    "demand": _l("Demand"),
    "organization": _l("Organization"),
    "listing_image": _l("Listing image"),
    "demand_file": _l("Demand attachment"),
    "system": _l("System"),
}

# The reasons moderators give most often. The stored reason is the Chinese label (the
# platform's working language) plus the moderator's note, so it reads the same in the
# audit log, on the owner's listing and in the email.
REJECTION_REASONS = (
    ("vague", _l("Vague description"), "描述含糊"),
    ("no_metrics", _l("Acceptance metrics are missing"), "缺少验收指标"),
    ("inaccurate", _l("Inaccurate information"), "信息不实"),
    ("duplicate", _l("Duplicate posting"), "重复发布"),
    ("other", _l("Other"), "其他"),
)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def decision_label(decision: ReviewDecision) -> str:
    return str(DECISION_LABELS[decision])


def role_label(role: UserRole) -> str:
    return str(ROLE_LABELS[role])


def object_type_label(object_type: str) -> str:
    return str(OBJECT_TYPE_LABELS.get(object_type, object_type))


def compose_reason(code: str, note: str) -> str:
    """The reason as stored and sent: "缺少验收指标：<note>", or only the note for "other"."""
    stored = {key: zh for key, _label, zh in REJECTION_REASONS}[code]
    note = (note or "").strip()
    if code == "other":
        return note
    return f"{stored}：{note}" if note else stored
