"""Sample contexts for `flask emails preview KIND`, so templates can be checked by eye.

A feature that adds `templates/emails/<kind>.txt` registers its sample here with
`register_preview`; kinds without one are rendered with an empty context.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app

from catalog_app.notifications.services import render_email

_SAMPLES: dict[str, Callable[[], dict]] = {
    "outbox_test": lambda: {"queued_at": "2025-01-01T09:00:00", "note": "preview"},
}


def register_preview(kind: str, sample: Callable[[], dict]) -> None:
    """Give `kind` a sample context (a function, so it may build objects lazily)."""
    _SAMPLES[kind] = sample


def available_kinds() -> list[str]:
    directory = Path(current_app.template_folder) / "emails"
    return sorted(path.stem for path in directory.glob("*.txt") if not path.name.startswith("_"))


def render_preview(kind: str, locale: str) -> tuple[str, str]:
    sample = _SAMPLES.get(kind, dict)
    return render_email(kind, locale, **sample())
