"""The `challenges` blueprint, in a module of its own so that routes.py (public, enterprise,
expert) and staff_routes.py (organiser) both add their views without importing each other."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("challenges", __name__, url_prefix="/events/<slug>/round")
