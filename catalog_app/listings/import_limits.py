"""What reading one import file may cost, and the refusal when it costs more.

The bounds are `LISTING_IMPORT_*` settings (read from the environment in `config.py`):
bytes, rows, cells, cells in one row, seconds. Every refusal is an `ImportRejected`
whose message tells people which limit the file passed and what to do.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

# Empty <row> elements allowed beyond the data rows (formatted but blank rows).
EMPTY_ROW_ALLOWANCE = 1000
CLOCK_EVERY = 512  # elements between two looks at the clock
# XML elements per allowed cell, all streamed parts together: a cell is <c><v/></c> or
# <c><is><t/></is></c>, a string <si><t/></si> or a few rich-text runs. Elements openpyxl
# does not use (another namespace) cost it parsing time too, so they count.
ELEMENTS_PER_CELL = 6


class ImportRejected(Exception):
    """The file as a whole cannot be read (too big, too many rows, not CSV/XLSX, broken)."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def limit(name: str) -> int:
    """A `LISTING_IMPORT_*` bound from the config."""
    return int(current_app.config[name])


@dataclass
class Budget:
    """What one file may cost: rows, cells, cells in one row, seconds. Raises when spent."""

    max_rows: int
    max_cells: int
    max_row_cells: int
    max_seconds: float
    started: float = 0.0
    elements: int = 0  # elements looked at so far: where reading stopped

    @classmethod
    def from_config(cls) -> "Budget":
        return cls(max_rows=limit("LISTING_IMPORT_MAX_ROWS"), max_cells=limit("LISTING_IMPORT_MAX_CELLS"),
                   max_row_cells=limit("LISTING_IMPORT_MAX_ROW_CELLS"),
                   max_seconds=float(limit("LISTING_IMPORT_MAX_SECONDS")), started=time.monotonic())

    @property
    def max_row_elements(self) -> int:
        return self.max_rows + 1 + EMPTY_ROW_ALLOWANCE

    @property
    def max_elements(self) -> int:
        return self.max_cells * ELEMENTS_PER_CELL

    def tick(self) -> None:
        self.elements += 1
        if self.elements % CLOCK_EVERY == 0:
            self.check_clock()
            if self.elements > self.max_elements:
                raise self.too_many_cells()

    def check_clock(self) -> None:
        if time.monotonic() - self.started > self.max_seconds:
            raise ImportRejected(_("Reading the file took longer than %(seconds)d seconds; split it into smaller "
                                   "files or save it as CSV.", seconds=self.max_seconds), too_large=True)

    def too_many_rows(self) -> ImportRejected:
        return ImportRejected(_("The file has more than %(count)d rows; split it into smaller files.",
                                count=self.max_rows), too_large=True)

    def too_many_cells(self) -> ImportRejected:
        return ImportRejected(_("The file has more than %(count)d cells; remove unused rows and columns or "
                                "split it into smaller files.", count=self.max_cells), too_large=True)

    def too_wide(self) -> ImportRejected:
        return ImportRejected(_("A row has more than %(count)d cells; delete the unused columns and save again.",
                                count=self.max_row_cells), too_large=True)
