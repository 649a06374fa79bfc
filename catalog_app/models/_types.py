"""Column helpers shared by the model modules."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

import sqlalchemy as sa


def utcnow() -> datetime:
    """Naive UTC: SQLite stores no zone, so every timestamp is UTC by convention."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def str_enum(enum_cls: type[enum.Enum], length: int = 20) -> sa.Enum:
    """A portable enum column: a VARCHAR with a CHECK, storing the member's value.

    Native PostgreSQL enums need their own migrations for every new member; a string
    column with a check constraint behaves the same on SQLite and PostgreSQL.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        name=f"{enum_cls.__name__.lower()}",
        create_constraint=True,
    )
