"""The demo catalog's pending work: all of it in the queue, counted, and decidable."""
from __future__ import annotations

from catalog_app.extensions import db
from catalog_app.models import User, UserRole
from catalog_app.moderation import services
from tests.moderation.test_queue_completeness import (
    assert_queue_matches_the_tables,
    decide_until_empty,
    pending_rows,
)


def test_the_demo_queue_lists_counts_and_decides_every_pending_row(demo_app):
    expected = assert_queue_matches_the_tables()
    types = {type_name for type_name, _id in expected}
    assert {"listing", "demand"} <= types  # the demo holds pending listings and demands
    moderator = User(email="queue-moderator@example.com", display_name="审核员", role=UserRole.MODERATOR,
                     password_hash="x")
    db.session.add(moderator)
    db.session.commit()

    decided = decide_until_empty(lambda obj: services.approve_and_notify(obj, moderator))

    assert decided == len(expected)
    assert pending_rows() == set() and services.queue_counts()["all"] == 0
