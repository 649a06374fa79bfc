"""Sample contexts for `flask emails preview KIND`, so templates can be checked by eye.

A feature that adds `templates/emails/<kind>.txt` registers its sample here with
`register_preview`; kinds without one are rendered with an empty context.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app
from jinja2 import ChainableUndefined

from catalog_app.notifications.services import render_email

_SAMPLES: dict[str, Callable[[], dict]] = {
    "outbox_test": lambda: {"queued_at": "2025-01-01T09:00:00", "note": "preview"},
}


# Values many templates take; a kind with its own sample does not use these.
GENERIC_SAMPLE = {"link": "https://scenario-catalog.local/example", "hours": 24, "days": 7}


def register_preview(kind: str, sample: Callable[[], dict]) -> None:
    """Give `kind` a sample context (a function, so it may build objects lazily)."""
    _SAMPLES[kind] = sample


def available_kinds() -> list[str]:
    directory = Path(current_app.template_folder) / "emails"
    return sorted(path.stem for path in directory.glob("*.txt") if not path.name.startswith("_"))


def render_preview(kind: str, locale: str) -> tuple[str, str]:
    """Render with the sample; variables it lacks render empty instead of failing (preview only)."""
    sample = _SAMPLES.get(kind, lambda: dict(GENERIC_SAMPLE))
    environment = current_app.jinja_env
    strict, environment.undefined = environment.undefined, ChainableUndefined
    try:
        return render_email(kind, locale, **sample())
    finally:
        environment.undefined = strict
