"""The events queries on PostgreSQL: figures (grouped sub-select), list order and filters,
registration and decision with the outbox, the pages and the API."""
from __future__ import annotations

import pytest

from catalog_app.events import figures, services
from catalog_app.events import registration as signup
from catalog_app.models import EventKind
from tests.conftest import login_as
from tests.events.test_figures import past_event  # noqa: F401  (the fixture, on this module's app)

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_app):
    """Every fixture of this module (users, events, client) on PostgreSQL."""
    return pg_app


def test_figures_lists_and_pages_on_postgres(client, past_event, create_event, enterprise, moderator):  # noqa: F811
    result = figures.event_figures(past_event)
    assert (result.demands, result.participants, result.meetings_held, result.agreements,
            result.declared_value) == (3, 5, 3, 3, 370)
    upcoming = create_event(days=3, kind=EventKind.MATCHMAKING, title="即将")
    lists = services.list_events()
    assert [e.title for e in lists.upcoming] == ["即将"] and lists.past[0].id == past_event.id
    registration = signup.register(upcoming, enterprise, note="备注")
    signup.decide(registration, True, moderator)
    assert [r.id for r in signup.participants(upcoming)] == [registration.id]
    assert client.get(f"/events/{past_event.slug}").status_code == 200
    assert client.get("/stats/").status_code == 200
    assert client.get("/api/v1/events").get_json()["pagination"]["total"] == 2
    login_as(client, enterprise)
    assert client.get(f"/events/{upcoming.slug}/participants").status_code == 200
