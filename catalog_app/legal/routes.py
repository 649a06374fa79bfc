"""/terms and /privacy. The documents are templates, one per language (templates/legal/),
because a legal text is translated as a whole, not sentence by sentence; the operator, site
name and version come from Config so that a deployment names itself."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from catalog_app.templating import current_locale

bp = Blueprint("legal", __name__)


def _document(name: str, title):
    language = "en" if current_locale() == "en" else "zh"
    return render_template("legal/document.html", title=title, body=f"legal/_{name}_{language}.html")


@bp.get("/terms")
def terms():
    return _document("terms", _l("Terms of Use"))


@bp.get("/privacy")
def privacy():
    return _document("privacy", _l("Privacy Policy"))
