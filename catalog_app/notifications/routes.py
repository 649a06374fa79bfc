"""Pages reached from emails (feedback, tracked opens, unsubscribe) and the user's email settings.

The email links carry signed tokens and work without a login. A GET never changes what the
user decides (link scanners and previews open links): feedback and unsubscribe links show a
one-button page whose POST does the change. The tracked "open" link only marks a match
viewed and redirects. The unsubscribe POST is CSRF-exempt for RFC 8058 one-click mail
clients; its signed token is the authorisation.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from catalog_app.accounts.decorators import role_required
from catalog_app.extensions import csrf
from catalog_app.models import UserRole
from catalog_app.notifications import admin
from catalog_app.notifications import feedback as feedback_service
from catalog_app.notifications import preferences as preference_service
from catalog_app.notifications import saved_searches
from catalog_app.notifications import unsubscribe as unsubscribe_service
from catalog_app.notifications.forms import ConfirmForm, SaveSearchForm
from catalog_app.notifications.links import InvalidLink
from catalog_app.parameters import id_list_form, page_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _invalid_link():
    return render_template("notifications/link_invalid.html"), 400


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = ConfirmForm()
    if form.validate_on_submit():
        preference_service.update_preferences(current_user, request.form.to_dict())
        flash(_("Your email settings were saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form,
                           kinds=preference_service.kinds_for(current_user),
                           chosen=preference_service.frequencies(current_user),
                           labels=preference_service.FREQUENCY_LABELS,
                           searches=saved_searches.searches_of(current_user),
                           describe_search=saved_searches.describe_search)


@bp.post("/saved-searches")
@login_required
def save_search():
    form = SaveSearchForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        saved_searches.save_search(current_user, form.section.data, MultiDict(parse_qsl(form.query.data or "")))
    except saved_searches.SavedSearchError as error:
        flash(str(error), "error")
    else:
        flash(_("Search saved. New results will come in your digest."), "success")
    return redirect(url_for("catalog.listings", section=form.section.data) + _query_suffix(form.query.data))


def _query_suffix(query: str | None) -> str:
    pairs = parse_qsl(query or "")
    return "?" + urlencode(pairs) if pairs else ""


@bp.post("/saved-searches/<int:search_id>/delete")
@login_required
def delete_search(search_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not saved_searches.delete_search(current_user, search_id):
        abort(404)
    flash(_("The saved search was deleted."), "success")
    return redirect(url_for("notifications.preferences"))


@bp.get("/feedback/<token>")
def feedback_confirm(token: str):
    try:
        link = feedback_service.read_feedback_link(token)
    except InvalidLink:
        return _invalid_link()
    return render_template("notifications/feedback_confirm.html", link=link, form=ConfirmForm(), token=token)


@bp.post("/feedback/<token>")
def feedback(token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        link = feedback_service.record_feedback(token)
    except InvalidLink:
        return _invalid_link()
    return render_template("notifications/feedback_done.html", link=link)


@bp.get("/open/<token>")
def open_link(token: str):
    try:
        target = feedback_service.open_link(token)
    except InvalidLink:
        return _invalid_link()
    return redirect(target)


@bp.get("/unsubscribe/<token>")
def unsubscribe_confirm(token: str):
    try:
        link = unsubscribe_service.read_unsubscribe_link(token)
    except InvalidLink:
        return _invalid_link()
    return render_template("notifications/unsubscribe.html", link=link, kind=preference_service.KINDS.get(link.kind),
                           done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token: str):
    try:
        link = unsubscribe_service.unsubscribe(token)
    except InvalidLink:
        return _invalid_link()
    return render_template("notifications/unsubscribe.html", link=link, kind=preference_service.KINDS.get(link.kind),
                           done=True)


@bp.get("/admin/failed")
@role_required(UserRole.ADMIN)
def failed_emails():
    return render_template("notifications/admin_failed.html", form=ConfirmForm(),
                           listing=admin.failed_messages(page=page_arg()), status_labels=admin.STATUS_LABELS)


@bp.post("/admin/failed/requeue")
@role_required(UserRole.ADMIN)
def requeue_failed():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = id_list_form("id")
    count = admin.requeue_failed(ids, all_failed=request.form.get("all") == "1", actor=current_user)
    flash(_("%(count)d email(s) queued again.", count=count), "success")
    return redirect(url_for("notifications.failed_emails"))
