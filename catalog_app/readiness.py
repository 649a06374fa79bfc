"""Technology readiness levels (TRL 1–9): what each level means, in both languages.

Listings carry a bare number (`Listing.maturity_trl`); visitors from factories rarely know
the scale. The cards' tooltip, the detail pages, the listing editor and the help page
(/help/trl) all explain it from this one list, so they cannot drift apart. The wording
follows the usual (NASA / EU Horizon) scale, phrased for industrial AI.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


MIN_LEVEL, MAX_LEVEL = 1, 9


@dataclass(frozen=True)
class ReadinessLevel:
    level: int
    title: object  # lazy string
    description: object


LEVELS = (
    ReadinessLevel(1, _l("Basic principles observed"),
                   _l("The scientific idea behind the technology is known and written down; nothing is built yet.")),
    ReadinessLevel(2, _l("Technology concept formulated"),
                   _l("A practical use is described, e.g. which defect a model could find, but not yet tried out.")),
    ReadinessLevel(3, _l("Proof of concept"),
                   _l("First experiments, in a lab or on sample data, show that the key function works.")),
    ReadinessLevel(4, _l("Validated in the lab"),
                   _l("The main components work together in the lab, on data or parts close to real ones.")),
    ReadinessLevel(5, _l("Validated in a relevant environment"),
                   _l("The technology is tested in conditions close to the factory: real parts, lighting, takt time.")),
    ReadinessLevel(6, _l("Prototype demonstrated in a relevant environment"),
                   _l("A working prototype of the whole system is shown in conditions close to production.")),
    ReadinessLevel(7, _l("Prototype demonstrated in operation"),
                   _l("A prototype runs on a real production line or site, usually as a pilot.")),
    ReadinessLevel(8, _l("System complete and qualified"),
                   _l("The finished system has passed its tests and acceptance in the target environment.")),
    ReadinessLevel(9, _l("Proven in operation"),
                   _l("The system runs in regular production, at one or more customers, over a longer time.")),
)
LEVEL_BY_NUMBER = {level.level: level for level in LEVELS}


def readiness_level(number) -> ReadinessLevel | None:
    """The level for a stored number; None for no number or one outside 1–9 (old imports)."""
    return LEVEL_BY_NUMBER.get(number) if isinstance(number, int) else None
