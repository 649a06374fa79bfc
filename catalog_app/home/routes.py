"""The home page: headline numbers, search box, recent items, entry by industry and scenario."""
from __future__ import annotations

from flask import Blueprint, render_template

from catalog_app.home.services import home_page
from catalog_app.page_cache import cached_page

bp = Blueprint("home", __name__)


@bp.get("/")
@cached_page()
def index():
    return render_template("home/index.html", home=home_page())
