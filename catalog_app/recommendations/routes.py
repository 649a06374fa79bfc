"""Recommendation pages: open demands for a supplier, and dismissing a match."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from catalog_app.recommendations.forms import DismissMatchForm
from catalog_app.recommendations.permissions import can_see_demand_recommendations
from catalog_app.recommendations.matches import MatchActionError, dismiss_match
from catalog_app.recommendations.services import recommend_demands
from catalog_app.security import safe_next_url

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")


@bp.get("/demands")
@login_required
def demands():
    if not can_see_demand_recommendations(current_user):
        abort(403)
    recommendations = recommend_demands(current_user.organization, top=20)
    return render_template("recommendations/demands.html", recommendations=recommendations,
                           dismiss_form=DismissMatchForm())


@bp.post("/dismiss")
@login_required
def dismiss():
    form = DismissMatchForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        dismiss_match(current_user, int(form.demand_id.data), int(form.listing_id.data))
    except MatchActionError:
        abort(404)
    flash(_("The recommendation was dismissed and will not be shown again."), "success")
    return redirect(safe_next_url(request.form.get("next")) or url_for("recommendations.demands"))
