"""Large import files are checked in the background; the page polls progress, then shows the report."""
from __future__ import annotations

import io
import re
import threading

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.listings import import_jobs, importing
from catalog_app.models import Listing, ListingStatus, UserRole
from tests.conftest import login_as
from tests.listings.conftest import forget_current_user


def _csv(titles, extra_header: str = "") -> bytes:
    lines = ["kind,title" + extra_header] + [f"解决方案,{title}" for title in titles]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _upload(client, content: bytes, name: str = "big.csv"):
    return client.post("/my/listings/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def background(app):
    app.config["LISTING_IMPORT_BACKGROUND_BYTES"] = 100
    return app


def _token(response) -> str:
    return re.search(r"/import/jobs/([0-9a-f]{32})$", response.headers["Location"]).group(1)


def test_a_large_file_is_checked_by_a_job_then_previewed_and_imported(background, supplier_client, supplier):
    titles = [f"视觉质检方案{i}" for i in range(250)]
    response = _upload(supplier_client, _csv(titles))
    assert response.status_code == 302
    token = _token(response)

    progress = supplier_client.get(f"/my/listings/import/jobs/{token}/progress")
    assert progress.status_code == 200
    assert progress.json["finished"] is True and progress.json["state"] == "ready"
    assert progress.json["rows_read"] == 250

    page = supplier_client.get(f"/my/listings/import/jobs/{token}").get_data(as_text=True)
    assert "视觉质检方案249" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Listing)) == 0  # the job writes nothing
    confirm_token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"', page).group(1)
    assert confirm_token == token
    assert supplier_client.post("/my/listings/import/confirm", data={"token": token}).status_code == 302
    statuses = db.session.scalars(sa.select(Listing.status)).all()
    assert len(statuses) == 250 and set(statuses) == {ListingStatus.DRAFT}
    assert supplier_client.get(f"/my/listings/import/jobs/{token}/progress").status_code == 404  # cleaned up


def test_progress_is_recorded_while_reading(background, supplier, monkeypatch):
    seen = []
    original_write = import_jobs._write

    def spy(user_id, token, **state):
        seen.append((state["state"], state.get("rows_read")))
        original_write(user_id, token, **state)

    monkeypatch.setattr(import_jobs, "_write", spy)
    with background.test_request_context():
        import_jobs.start_check("big.csv", _csv([f"方案{i}" for i in range(350)]), supplier)
    assert ("reading", 100) in seen and ("reading", 300) in seen
    assert seen[-1] == ("ready", 350)


def test_a_job_with_errors_reports_them_and_offers_no_import(background, supplier_client):
    response = _upload(supplier_client, _csv(["方案一", "方案一"] + [f"方案{i}" for i in range(50)]))
    page = supplier_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "lm-report" in page and 'name="token"' not in page


def test_a_hostile_large_file_fails_in_the_job_with_the_limit_message(background, supplier_client, supplier):
    background.config["LISTING_IMPORT_MAX_ROW_CELLS"] = 50
    response = _upload(supplier_client, _csv(["方案"], extra_header="," * 200))
    token = _token(response)
    progress = supplier_client.get(f"/my/listings/import/jobs/{token}/progress").json
    assert progress["state"] == "failed" and "50" in progress["message"]
    page = supplier_client.get(f"/my/listings/import/jobs/{token}").get_data(as_text=True)
    assert progress["message"] in page
    assert importing.load_stash(token, supplier) is None  # the refused file is not kept


def test_a_running_job_shows_progress_and_polling_script(background, supplier_client, supplier):
    with background.test_request_context():
        token = importing.stash_upload("big.csv", _csv(["方案"]), supplier)
        import_jobs._write(supplier.id, token, state=import_jobs.READING, rows_read=40)
    page = supplier_client.get(f"/my/listings/import/jobs/{token}").get_data(as_text=True)
    assert f"/my/listings/import/jobs/{token}/progress" in page and "import_progress.js" in page
    assert supplier_client.get(f"/my/listings/import/jobs/{token}/progress").json == {
        "state": "reading", "rows_read": 40, "max_rows": 2000, "finished": False, "message": None}


def test_a_job_that_stopped_updating_is_reported_as_failed(background, supplier_client, supplier):
    background.config["LISTING_IMPORT_JOB_STALE_SECONDS"] = -1
    with background.test_request_context():
        token = importing.stash_upload("big.csv", _csv(["方案"]), supplier)
        import_jobs._write(supplier.id, token, state=import_jobs.READING, rows_read=40)
    progress = supplier_client.get(f"/my/listings/import/jobs/{token}/progress").json
    assert progress["state"] == "failed" and progress["finished"] is True


def test_another_user_cannot_see_a_job(background, supplier_client, client, create_user):
    token = _token(_upload(supplier_client, _csv([f"方案{i}" for i in range(50)])))
    other = create_user(role=UserRole.SUPPLIER)
    forget_current_user()
    login_as(client, other)
    assert client.get(f"/my/listings/import/jobs/{token}").status_code == 404
    response = client.get(f"/my/listings/import/jobs/{token}/progress")
    assert response.status_code == 404 and response.json["error"] == "not_found"
    assert client.get("/my/listings/import/jobs/not-a-token/progress").status_code == 404


def test_the_thread_runner_checks_the_file_off_the_request(background, supplier):
    background.config["LISTING_IMPORT_JOB_RUNNER"] = "thread"
    with background.test_request_context():
        token = import_jobs.start_check("big.csv", _csv([f"方案{i}" for i in range(120)]), supplier)
    threads = [t for t in threading.enumerate() if t.name == f"listing-import-{token[:8]}"]
    for thread in threads:
        thread.join(timeout=30)
    with background.test_request_context():
        state = import_jobs.job_state(token, supplier)
    assert state["state"] == "ready" and state["rows_read"] == 120
