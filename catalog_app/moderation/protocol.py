"""The moderation face every reviewable type shows: the `Reviewable` protocol and its queue row.

Kept apart from the adapters (content.py, reviewables.py) so both import it downward.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa

from catalog_app.models import AuditEntry, Organization, Revision, User


class ReviewError(ValueError):
    """The object is not in a state that allows this step."""


@dataclass
class QueueEntry:
    """One row of the review queue, whatever its type."""

    object_type: str
    obj: Any
    title: str
    organization: Organization | None
    submitted_at: datetime
    revision: Revision | None  # None for a pending row that never got one (decided all the same)
    is_update: bool  # an approved version exists: the review page shows a diff
    review_type: str  # where it is decided: the page of (review_type, review_id)
    review_id: int
    parent_title: str = ""  # a file's listing or demand

    @property
    def submitted_by(self) -> User | None:
        return self.revision.submitted_by if self.revision is not None else None


@runtime_checkable
class Reviewable(Protocol):
    """The moderation face of one kind of object."""

    type_name: str  # "listing", "demand", "organization", "listing_image", "demand_file"
    model: type
    label: Any  # lazy, translated: the queue filter's name

    def load(self, object_id: int) -> Any | None: ...

    def awaiting(self) -> sa.ColumnElement[bool]:
        """SQL condition on `model`: the row waits for a moderator's decision."""

    def load_options(self) -> list:
        """Loader options for the queue's rows (what `entries` reads, loaded in bulk)."""

    def entries(self, rows: list) -> list[QueueEntry]: ...

    def approve(self, obj, moderator: User) -> Revision | AuditEntry: ...

    def reject(self, obj, moderator: User, reason: str) -> Revision | AuditEntry: ...

    def notifies_owner(self) -> bool:
        """Whether a decision is emailed to the owner (text yes; files and verification no)."""
