"""Fixtures of the listings tests: a signed-in supplier and private upload folders."""
from __future__ import annotations

import pytest
from flask import g

from catalog_app.models import UserRole
from tests.conftest import login_as


@pytest.fixture(autouse=True)
def private_folders(app, tmp_path):
    """Uploads and import files go to the test's own folder, never to instance/."""
    app.config["LISTING_MEDIA_DIR"] = str(tmp_path / "media")
    app.config["LISTING_IMPORT_DIR"] = str(tmp_path / "imports")
    return tmp_path


@pytest.fixture
def supplier(create_user):
    return create_user(role=UserRole.SUPPLIER)


@pytest.fixture
def supplier_client(client, supplier):
    login_as(client, supplier)
    return client


def forget_current_user() -> None:
    """Let the next request load its user from its own cookie.

    The `app` fixture keeps one app context open for the whole test, so every request of
    every client shares `g`, where Flask-Login caches the user: without this, a second
    client would be served as the first client's user.
    """
    g.pop("_login_user", None)
