"""/help/*: static explanations, linked from wherever a term appears without one."""
from __future__ import annotations

from flask import Blueprint, render_template

from catalog_app.readiness import LEVELS

bp = Blueprint("help", __name__, url_prefix="/help")


@bp.get("/trl")
def trl():
    return render_template("help/trl.html", levels=LEVELS)
