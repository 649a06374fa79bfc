"""Checking a large import file in the background, with progress that the page polls.

A file of `LISTING_IMPORT_BACKGROUND_BYTES` or more is not read inside the upload
request: the upload is stashed (as every checked file is, until the user confirms), a job
reads and validates it, and the import page asks `/my/listings/import/jobs/<token>/progress`
every second until the report is ready. The budgets of `spreadsheet.py` apply as in the
request; the job only moves the wait out of a web worker.

Where the job runs: with no broker the project runs background work in-process (the
facet index, the matching refresh), so a job is a daemon thread of the worker that took
the upload (`LISTING_IMPORT_JOB_RUNNER=thread`, the default); `inline` runs it in the
request (tests, single-threaded servers). The job's state is a small JSON file beside
the stashed upload, named by user id and token like the upload itself, so any worker
on the machine can answer the poll and nobody else's token finds it. A worker that dies
mid-job leaves a state that never changes; the page then says so after
`LISTING_IMPORT_JOB_STALE_SECONDS` and the user uploads again. Nothing is written to the
database until the user confirms the report, so a lost job loses nothing.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from catalog_app.extensions import db
from catalog_app.listings import importing
from catalog_app.listings.spreadsheet import ImportRejected, limit
from catalog_app.models import User
from catalog_app.i18n import locale_of

log = logging.getLogger(__name__)

QUEUED, READING, CHECKING, READY, FAILED = "queued", "reading", "checking", "ready", "failed"
FINISHED = (READY, FAILED)


def runs_in_background(content: bytes) -> bool:
    return len(content) >= limit("LISTING_IMPORT_BACKGROUND_BYTES")


def _job_path(user_id: int, token: str) -> Path:
    return importing.stash_dir() / f"{user_id}-{token}.job.json"


def _write(user_id: int, token: str, **state) -> None:
    """Replace the state file atomically: a poll never reads half a file."""
    path = _job_path(user_id, token)
    temporary = path.with_suffix(f".{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps({**state, "updated": time.time()}, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def start_check(filename: str, content: bytes, user: User) -> str:
    """Stash the upload and start checking it; returns the token the page polls with."""
    token = importing.stash_upload(filename, content, user)
    _write(user.id, token, state=QUEUED, rows_read=0)
    app = current_app._get_current_object()
    if current_app.config["LISTING_IMPORT_JOB_RUNNER"] == "inline":
        run_check(app, user.id, token)
    else:
        threading.Thread(target=run_check, args=(app, user.id, token), name=f"listing-import-{token[:8]}",
                         daemon=True).start()
    return token


def run_check(app: Flask, user_id: int, token: str) -> None:
    """Read and validate a stashed upload, recording progress and the report.

    Runs outside any request, in the user's language; every failure ends as a FAILED
    state with a message, never as a job that seems to run for ever.
    """
    with app.app_context():
        try:
            user = db.session.get(User, user_id)
            with force_locale(locale_of(user)):
                _check(user, token)
        except Exception:  # noqa: BLE001 - the job's last word must reach the page
            log.exception("listing import job %s failed", token)
            with force_locale("zh"):
                _write(user_id, token, state=FAILED, message=_("The file could not be checked; please upload it "
                                                               "again."), too_large=False)
        finally:
            db.session.remove()


def _check(user: User | None, token: str) -> None:
    stashed = importing.load_stash(token, user) if user is not None else None
    if stashed is None:
        _write(user.id if user else 0, token, state=FAILED, too_large=False,
               message=_("The uploaded file has expired; please upload it again."))
        return
    filename, content = stashed

    def progress(rows_read: int) -> None:
        _write(user.id, token, state=READING, rows_read=rows_read)

    _write(user.id, token, state=READING, rows_read=0)
    try:
        table = importing.read_table(filename, content, progress)
        _write(user.id, token, state=CHECKING, rows_read=len(table))
        report = importing.validate_table(table)
    except ImportRejected as rejected:
        importing.drop_stash(token, user)
        _write(user.id, token, state=FAILED, message=rejected.message, too_large=rejected.too_large)
        return
    _write(user.id, token, state=READY, rows_read=len(table), report=importing.report_summary(report),
           is_clean=report.is_clean)


def job_state(token: str, user: User) -> dict | None:
    """The job's state for its owner; None for an unknown token or another user's job."""
    if not importing.is_token(token):
        return None
    path = _job_path(user.id, token)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    stale_after = limit("LISTING_IMPORT_JOB_STALE_SECONDS")
    if state.get("state") not in FINISHED and time.time() - state.get("updated", 0) > stale_after:
        state = {**state, "state": FAILED, "too_large": False,
                 "message": _("Checking the file stopped without finishing; please upload it again.")}
    state["max_rows"] = limit("LISTING_IMPORT_MAX_ROWS")
    return state


def drop_job(token: str, user: User) -> None:
    if importing.is_token(token):
        _job_path(user.id, token).unlink(missing_ok=True)
