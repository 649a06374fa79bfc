"""The audit log: who did what to which object, and when.

Every feature records its steps here (listings, demands, proposals, moderation,
notifications, scenarios), so the writer sits on the shared floor and imports models only:
a feature that records an edit must not have to import moderation (that import used to
close a cycle moderation → notifications → catalog → demands → moderation).

`record` only adds the row; the use-case that called it commits, so the audit entry is
part of the same transaction as the change it describes.
"""
from __future__ import annotations

from catalog_app.extensions import db
from catalog_app.models import AuditEntry, User

# Table name → the object type written in audit entries and revisions. Listing kinds
# (solutions, products, cases) share the listings table, so one name covers them.
OBJECT_TYPE_BY_TABLE = {
    "listings": "listing",
    "demands": "demand",
    "organizations": "organization",
    "listing_media": "listing_image",
    "demand_attachments": "demand_file",
}


def object_type(obj) -> str:
    """The name an object goes by in audit entries and revisions ("listing", "demand", ...).

    :raises KeyError: for a model that is never audited by object (pass `object_type=` instead).
    """
    return OBJECT_TYPE_BY_TABLE[type(obj).__tablename__]


def record(actor: User | None, action: str, obj=None, **detail) -> AuditEntry:
    """Add an audit entry (flushes nothing; the caller's transaction commits it).

    Without `obj`, pass `object_type=` (and `object_id=` when there is one) as keywords:
    they become the entry's columns, the other keywords its JSON detail.
    """
    entry = AuditEntry(
        actor_id=actor.id if actor else None, action=action,
        object_type=object_type(obj) if obj is not None else detail.pop("object_type", "system"),
        object_id=getattr(obj, "id", None) if obj is not None else detail.pop("object_id", None),
        detail=detail,
    )
    db.session.add(entry)
    return entry
