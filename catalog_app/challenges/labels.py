"""Labels for the round's states, in both languages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from catalog_app.models import RoundEntryStatus

ENTRY_STATUS_LABELS = {
    RoundEntryStatus.ENTERED: _l("Entered in the round"),
    RoundEntryStatus.SHORTLISTED: _l("Shortlisted"),
    RoundEntryStatus.NOT_SELECTED: _l("Not shortlisted"),
    RoundEntryStatus.WITHDRAWN: _l("Withdrawn"),
}
