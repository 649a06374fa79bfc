"""One parser for page, per_page and ids (issue #13, finding 6): ASCII digits, bounded, 400 / 404."""
from __future__ import annotations

import pytest

from catalog_app.models import UserRole
from catalog_app.parameters import MAX_ID, MAX_PAGE, InvalidNumber, parse_id, parse_whole_number
from tests.conftest import login_as

HUGE = "9" * 5000


@pytest.mark.parametrize("raw, expected", [("1", 1), ("007", 7), ("100000", MAX_PAGE), ("0" * 50 + "3", 3)])
def test_whole_numbers_in_range(raw, expected):
    assert parse_whole_number(raw, "page") == expected


@pytest.mark.parametrize("raw", ["²", "٣", "３", "-1", "+1", "1.0", "1e3", " ", "", "0", "100001", HUGE, "1_000"])
def test_anything_else_is_refused_with_a_message(raw):
    with pytest.raises(InvalidNumber) as error:
        parse_whole_number(raw, "page")
    assert "page" in error.value.message


@pytest.mark.parametrize("raw, expected", [("12", 12), (" 12 ", 12), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None),
                                           ("²", None), ("٣", None), (HUGE, None), ("", None), (None, None)])
def test_ids_from_forms(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("url, status", [
    ("/solutions?page=²", 400), ("/solutions?per_page=²", 400), ("/demands?page=²", 400),
    ("/organizations?per_page=²", 400), ("/search?q=检测&page=²", 400), (f"/solutions?page={HUGE}", 400),
    ("/solutions?page=٣", 400), ("/solutions?per_page=101", 400), ("/solutions?page=100001", 400),
    ("/solutions/99999999999999999999999", 404), ("/organizations/9223372036854775808", 404),
    ("/organizations/9223372036854775807", 404), ("/demands/٣", 404), (f"/demands/{HUGE}", 404),
    ("/api/v1/demands?page=²", 422), ("/api/v1/demands?page=٣", 422), (f"/api/v1/solutions?per_page={HUGE}", 422),
    ("/api/v1/organizations/9223372036854775808", 404),
])
def test_public_pages_refuse_bad_numbers(client, url, status):
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url, status", [
    ("/moderation/audit?page=²", 400), (f"/moderation/audit?page={HUGE}", 400),
    ("/moderation/audit?object_id=" + "9" * 30, 404), ("/moderation/audit?actor=²", 400),
    ("/moderation/audit?object_id=12", 200), ("/moderation/organizations?page=²", 400),
    ("/moderation/listing/99999999999999999999", 404),
])
def test_moderation_filters_refuse_bad_numbers(client, create_user, url, status):
    login_as(client, create_user(role=UserRole.MODERATOR))
    assert client.get(url).status_code == status


def test_admin_pages_refuse_bad_numbers(client, create_user):
    login_as(client, create_user(role=UserRole.ADMIN))
    assert client.get("/notifications/admin/failed?page=²").status_code == 400
    assert client.get("/notifications/admin/failed?page=2").status_code == 200
    assert client.post("/notifications/admin/failed/requeue", data={"id": "²"}).status_code == 400


def test_the_openapi_description_bounds_path_ids(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    [parameter] = spec["paths"]["/api/v1/demands/{demand_id}"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 2147483647}


@pytest.mark.postgres
def test_the_largest_id_is_a_plain_404_on_postgresql(pg_app):
    """2**63-1 passes the parser; PostgreSQL compares it with int4 ids (SQLite: see above)."""
    client = pg_app.test_client()
    for url in (f"/organizations/{MAX_ID}", f"/demands/{MAX_ID}", f"/solutions/{MAX_ID}",
                f"/demands/attachments/{MAX_ID}", f"/proposals/attachments/{MAX_ID}"):
        assert client.get(url).status_code in (302, 404), url  # proposals: the login page first
    assert client.get(f"/api/v1/organizations/{MAX_ID}").status_code == 404
