"""Portable SQL expressions (month buckets, day spans, medians) for statistics on any page.

SQLite and PostgreSQL spell dates differently, so each helper asks the session's dialect.
Medians use window functions (ROW_NUMBER and COUNT over a partition), which both support,
so a median is one statement however many rows it covers.
"""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def month_of(column) -> sa.ColumnElement:
    """'YYYY-MM' of a timestamp column."""
    if _is_sqlite():
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")


def days_between(start, end) -> sa.ColumnElement:
    """Days (fractional) from `start` to `end`."""
    if _is_sqlite():
        return sa.func.julianday(end) - sa.func.julianday(start)
    return sa.extract("epoch", end - start) / 86400.0


def medians(values: sa.Select) -> dict:
    """Median of `value` per `group_key` for a SELECT of those two labelled columns.

    :param values: a select with columns labelled `group_key` and `value` (NULL values
        must be filtered out by the caller).
    :returns: group key -> (median, number of values).
    """
    source = values.subquery()
    ranked = sa.select(
        source.c.group_key,
        source.c.value,
        sa.func.row_number().over(partition_by=source.c.group_key, order_by=source.c.value).label("position"),
        sa.func.count().over(partition_by=source.c.group_key).label("total"),
    ).subquery()
    # The middle row (odd totals) or the two middle rows (even totals).
    middle = sa.and_(ranked.c.position * 2 >= ranked.c.total, ranked.c.position * 2 <= ranked.c.total + 2)
    rows = db.session.execute(
        sa.select(ranked.c.group_key, sa.func.avg(ranked.c.value), sa.func.max(ranked.c.total))
        .where(middle)
        .group_by(ranked.c.group_key)
    )
    return {key: (float(median), int(total)) for key, median, total in rows}
