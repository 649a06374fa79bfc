"""Matching indexes kept in step with the database, one per process.

The index is built once (or loaded from the snapshot another worker saved) and then
refreshed incrementally: every `refresh_seconds` a cheap query finds rows whose
`updated_at` moved, and only those are re-read and updated in place. So a listing published
or edited shows up within seconds without a restart, and no request ever pays a rebuild.

Safety does not rest on the index being fresh: callers re-read the ranked ids from the
database with the visibility rule, so a stale entry can rank but can never be shown.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models._types import utcnow
from matching import DEFAULT_WEIGHTS, Document, Index, RankingWeights, build_index

log = logging.getLogger(__name__)

# Rows committed out of order (a long transaction that started before a later one) can carry
# an updated_at older than the watermark; re-reading a window before it catches them, and
# updating an unchanged document twice is harmless.
WATERMARK_OVERLAP = timedelta(seconds=30)
RECONCILE_SECONDS = 60.0
# Ids per statement when applying changed rows (well under the 65,535 bound parameters).
APPLY_CHUNK = 5000


class LiveIndex:
    """One matching index over one kind of row, refreshed from the database."""

    def __init__(self, name: str, *, table: sa.Table, visible_ids: Callable[[], sa.Select],
                 documents: Callable[[Iterable[int] | None], list[Document]],
                 snapshot_dir: str | None, refresh_seconds: float = 2.0, documents_version: str = "",
                 weights: Callable[[], RankingWeights] = lambda: DEFAULT_WEIGHTS):
        self.name = name
        # Names what `documents` puts into the index. A snapshot saved under another version
        # is not loaded but rebuilt: the refresh only re-reads changed rows, so a snapshot of
        # documents built by an older rule (one that indexed text now hidden) would otherwise
        # keep serving its old entries.
        self.documents_version = documents_version
        self.table = table
        self.visible_ids = visible_ids
        self.documents = documents
        self.snapshot_dir = Path(snapshot_dir) if snapshot_dir else None
        self.refresh_seconds = refresh_seconds
        # Read at every build and load: `flask matching tune` may have written new weights.
        self.weights = weights
        self._lock = threading.RLock()
        self._index: Index | None = None
        self._watermark: datetime | None = None
        self._checked_at = 0.0
        self._reconciled_at = 0.0
        # Bumped whenever the index content changes, so callers can cache results per generation.
        self.generation = 0

    # -- public -------------------------------------------------------------------------
    def index(self) -> Index:
        """The index, built or loaded on first use and refreshed when due."""
        with self._lock:
            if self._index is None:
                self._open()
            elif time.monotonic() - self._checked_at >= self.refresh_seconds:
                self.refresh()
            return self._index

    @contextmanager
    def reading(self) -> Iterator[Index]:
        """The index, held for one ranking: refreshes mutate it in place, so a thread that
        ranked while another added a row read arrays of two sizes (an IndexError in a
        threaded server). Rankings of one process take turns; gunicorn's sync workers
        serve one request at a time anyway."""
        with self._lock:
            yield self.index()

    def refresh(self) -> int:
        """Apply rows changed since the watermark; returns how many ids were touched."""
        with self._lock:
            if self._index is None:
                self._open()
                return 0
            started = utcnow()
            since = (self._watermark or datetime.min) - WATERMARK_OVERLAP
            changed = list(db.session.scalars(
                sa.select(self.table.c.id).where(self.table.c.updated_at >= since)))
            touched = self._apply(changed)
            if time.monotonic() - self._reconciled_at >= RECONCILE_SECONDS:
                touched += self._reconcile()
            self._watermark = started
            self._checked_at = time.monotonic()
            return touched

    def rebuild(self) -> int:
        """Build from scratch (and save a snapshot); returns the number of documents."""
        with self._lock:
            started = utcnow()
            self._index = build_index(self.documents(None), weights=self.weights())
            self.generation += 1
            self._watermark = started
            self._checked_at = self._reconciled_at = time.monotonic()
            self._save()
            return len(self._index)

    def reset(self) -> None:
        with self._lock:
            self._index = None
            self._watermark = None

    # -- internals ------------------------------------------------------------------------
    def _open(self) -> None:
        if not self._load():
            self.rebuild()
            return
        self.refresh()

    def _apply(self, ids: list[int]) -> int:
        if not ids:
            return 0
        self.generation += 1
        # In chunks: one IN list of every id would pass PostgreSQL's 65,535 bound parameters
        # when a snapshot of other data is reconciled (tens of thousands of missing ids).
        fresh = {doc.id: doc for start in range(0, len(ids), APPLY_CHUNK)
                 for doc in self.documents(ids[start:start + APPLY_CHUNK])}
        for raw_id in ids:
            doc_id = str(raw_id)
            if doc_id in fresh:
                self._index.update(fresh[doc_id])
            else:
                self._index.remove(doc_id)
        return len(ids)

    def _reconcile(self) -> int:
        """Catch what timestamps cannot: hard deletes and listings that expired by date."""
        visible = {str(i) for i in db.session.scalars(self.visible_ids())}
        indexed = set(self._index.row_of)
        if indexed != visible:
            self.generation += 1
        for doc_id in indexed - visible:
            self._index.remove(doc_id)
        missing = [int(i) for i in visible - indexed]
        self._apply(missing)
        self._reconciled_at = time.monotonic()
        return len(indexed - visible) + len(missing)

    def _pointer(self) -> Path | None:
        return self.snapshot_dir / f"{self.name}.current" if self.snapshot_dir else None

    def _load(self) -> bool:
        pointer = self._pointer()
        if pointer is None or not pointer.exists():
            return False
        try:
            state = json.loads(pointer.read_text(encoding="utf-8"))
            if state.get("documents_version", "") != self.documents_version:
                log.info("matching snapshot %s holds other documents; rebuilding", pointer)
                return False
            self._index = Index.load(self.snapshot_dir / state["directory"])
            if self._index.weights != self.weights():
                log.info("matching snapshot %s has other ranking weights; rebuilding", pointer)
                self._index = None
                return False
            self.generation += 1
            self._watermark = datetime.fromisoformat(state["watermark"])
        except (OSError, ValueError, KeyError) as exc:
            log.warning("matching snapshot %s unreadable (%s); rebuilding", pointer, exc)
            self._index = None
            return False
        self._checked_at = 0.0
        self._reconciled_at = 0.0
        return True

    def _save(self) -> None:
        """Write a new snapshot directory, then switch the pointer file atomically.

        Workers that read the old pointer keep a complete old snapshot; nobody ever reads
        a half-written one.
        """
        pointer = self._pointer()
        if pointer is None:
            return
        self.snapshot_dir.mkdir(parents=True, exist_ok=True)
        directory = f"{self.name}-{int(time.time() * 1000)}-{os.getpid()}"
        self._index.save(self.snapshot_dir / directory)
        state = {"directory": directory, "watermark": self._watermark.isoformat(),
                 "documents_version": self.documents_version}
        tmp = pointer.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, pointer)
        self._prune(keep=directory)

    def _prune(self, keep: str) -> None:
        snapshots = sorted(p for p in self.snapshot_dir.glob(f"{self.name}-*") if p.is_dir())
        for old in snapshots[:-2]:
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
