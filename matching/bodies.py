"""Each row's summary and text (normalised when read), kept for explanations only.

Explanations quote only what a listing really says, so they need its text; ranking never
does. Held in memory these texts would add ~40 MB per 100,000 short listings to every
worker (str objects of two bytes per CJK character plus headers) and seconds to each load,
so a saved index keeps them in ``bodies.bin`` (UTF-8, concatenated) with ``bodies.npy``
(offsets) and a loaded one maps the file: only the pages of displayed results are read,
and the page cache is shared by all workers. Rows added after loading live in a list.
"""
from __future__ import annotations

import mmap
import os
from pathlib import Path

import numpy as np

from .tokenizer import normalize

BIN, OFFSETS = "bodies.bin", "bodies.npy"


class Bodies:
    """Row -> text: a mapped file for the rows loaded, a list for the rows added since."""

    def __init__(self, mapped=b"", offsets: np.ndarray | None = None, rows: np.ndarray | None = None,
                 tail: list | None = None):
        self._mapped = mapped
        self._offsets = offsets if offsets is not None else np.zeros(1, dtype=np.int64)
        # Loaded row i is entry rows[i] of the file (compaction drops rows without copying).
        self._rows = rows if rows is not None else np.arange(len(self._offsets) - 1, dtype=np.int64)
        self._tail = tail if tail is not None else []

    def __len__(self) -> int:
        return len(self._rows) + len(self._tail)

    def __getitem__(self, row: int) -> str:
        """:returns: the row's summary and text, normalised (NFKC, lower case)."""
        return normalize(self.raw(row))

    def raw(self, row: int) -> str:
        """:returns: the row's summary and text as given, joined by a newline."""
        n = len(self._rows)
        if row >= n:
            entry = self._tail[row - n]
            return entry if isinstance(entry, str) else "\n".join(entry) if any(entry) else ""
        i = int(self._rows[row])
        return self._mapped[int(self._offsets[i]):int(self._offsets[i + 1])].decode("utf-8")

    def append(self, summary: str, text: str) -> None:
        """Add the next row's texts. Kept as given (references, no copy) and normalised when
        read: building an index, the CLI's hot path, pays one tuple per document.

        :param summary: the document's summary.
        :param text: the document's text.
        """
        self._tail.append((summary or "", text or ""))

    def take(self, keep: np.ndarray) -> "Bodies":
        """The rows `keep` (ascending), renumbered from 0, as compaction needs.

        :param keep: rows to keep.
        :returns: a new Bodies sharing the mapped file.
        """
        keep = np.asarray(keep, dtype=np.int64)
        n = len(self._rows)
        split = int(np.searchsorted(keep, n))
        tail = [self._tail[r - n] for r in keep[split:].tolist()]
        return Bodies(self._mapped, self._offsets, self._rows[keep[:split]], tail)

    def save(self, directory: Path) -> None:
        """Write bodies.bin and bodies.npy into `directory` (each under a temporary name first).

        :param directory: the index directory.
        """
        offsets = np.zeros(len(self) + 1, dtype=np.int64)
        with open(directory / (BIN + ".tmp"), "wb") as f:
            pos = 0
            for i in range(len(self)):
                data = self.raw(i).encode("utf-8")
                f.write(data)
                pos += len(data)
                offsets[i + 1] = pos
        with open(directory / (OFFSETS + ".tmp"), "wb") as f:
            np.save(f, offsets, allow_pickle=False)
        os.replace(directory / (BIN + ".tmp"), directory / BIN)
        os.replace(directory / (OFFSETS + ".tmp"), directory / OFFSETS)

    @classmethod
    def load(cls, directory: Path, n_rows: int) -> "Bodies":
        """Map the texts of a saved index; an index saved before they existed gets empty ones.

        :param directory: the index directory.
        :param n_rows: rows of the index.
        :returns: the Bodies.
        """
        if not (directory / BIN).exists() or not (directory / OFFSETS).exists():
            return cls(tail=[""] * n_rows)
        offsets = np.load(directory / OFFSETS, allow_pickle=False)
        if len(offsets) != n_rows + 1:
            return cls(tail=[""] * n_rows)
        with open(directory / BIN, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        return cls(mapped, offsets)
