"""Fixtures of the listings tests: a signed-in supplier and private upload folders."""
from __future__ import annotations

import pytest

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
