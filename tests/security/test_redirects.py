"""`?next=` after login only ever leads to a page of this site."""
from __future__ import annotations

import pytest

from catalog_app.extensions import db
from catalog_app.security import safe_next_url
from tests.conftest import DEFAULT_PASSWORD

OFFSITE = [
    "//evil.com", "//evil.com/account", "https://evil.com", "http://evil.com/", "/\\evil.com", "\\\\evil.com",
    "/\\/evil.com", "javascript:alert(1)", "JavaScript:alert(1)", " //evil.com", "/\t/evil.com", "/\n/evil.com",
    "https:evil.com", "data:text/html,hi", "evil.com", "", None, "/%0a/evil", "/" + "a" * 2100,
]


@pytest.mark.parametrize("target", OFFSITE)
def test_offsite_targets_are_refused(target):
    assert safe_next_url(target) in (None, "/%0a/evil")  # an encoded newline stays a local path


@pytest.mark.parametrize("target", ["/", "/account", "/catalog/solutions?industry=electronics&page=2", "/a/b#c"])
def test_local_paths_are_kept(target):
    assert safe_next_url(target) == target


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "/\\evil.com", "javascript:alert(1)"])
def test_login_never_redirects_offsite(client, create_user, target):
    user = create_user()
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "next": target},
                           query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/workbench"
    # Already logged in: the GET shortcut must not follow it either.
    response = client.get("/login", query_string={"next": target})
    assert response.headers["Location"] == "/workbench"
