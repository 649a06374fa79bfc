"""Supplier listing management under /my/listings: thin views over `services`."""
from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from catalog_app.accounts.sessions import login_manager
from catalog_app.extensions import db
from catalog_app.form_errors import attach_error
from catalog_app.listing_views import ViewCounts, view_counts
from catalog_app.listings import exporting, import_jobs, importing, media, permissions, services
from catalog_app.listings.forms import ActionForm, ConfirmImportForm, ImportForm, ListingForm, MediaForm, \
    listing_form_data
from catalog_app.listings.services import ListingActionError
from catalog_app.models import Listing, ListingKind, ListingStatus
from catalog_app.models.listings import ListingMedia
from catalog_app.templating import current_locale

bp = Blueprint("listings", __name__, url_prefix="/my/listings")

ACTIONS = {
    "submit": (services.submit_listing, _l("Submitted for review. It appears in the catalog once approved.")),
    "withdraw": (services.withdraw_listing, _l("Withdrawn: the listing is a draft again and not in the catalog.")),
    "renew": (services.renew_listing, _l("Renewed for another year.")),
    "archive": (services.archive_listing, _l("Archived.")),
    "duplicate": (services.duplicate_listing, _l("A copy was created as a draft.")),
}
KIND_CHOICES = (
    (ListingKind.SOLUTION, _l("A complete answer to a scenario: software, integration and service.")),
    (ListingKind.PRODUCT, _l("Hardware or software with a model number and a price.")),
    (ListingKind.CASE, _l("A deployment at a customer, with before/after results.")),
)
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def supplier_required(view):
    """Anonymous visitors go to the login page; signed-in non-suppliers get 403."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            if login_manager.login_view in current_app.view_functions:
                return login_manager.unauthorized()
            abort(403)
        if not permissions.can_manage_listings(current_user):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _own_listing(listing_id: int) -> Listing:
    """404 for another organization's listing: its existence is none of the caller's business."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not permissions.owns_listing(current_user, listing):
        abort(404)
    return listing


def _editor(kind: ListingKind, listing: Listing | None = None) -> ListingForm:
    data = listing_form_data(services.editable_version(listing)) if listing else {"expires_at": services.default_expiry()}
    form = ListingForm(data=data)
    form.set_choices(**services.editor_choices(current_user, current_locale(), listing))
    return form


def _render_editor(form: ListingForm, kind: ListingKind, listing: Listing | None = None, status: int = 200):
    form.add_blank_outcomes()
    images = media.listing_media(listing) if listing else []
    return render_template("listings/edit.html", form=form, kind=kind, listing=listing, statuses=ListingStatus,
                           images=images, image_states=media.review_states(images),
                           media_form=MediaForm(), action_form=ActionForm()), status


@bp.get("/")
@supplier_required
def index():
    filters = services.parse_filters(request.args)
    listings = services.organization_listings(current_user, filters)
    return render_template("listings/index.html", listings=listings, filters=filters,
                           views=view_counts(listing.id for listing in listings), no_views=ViewCounts(),
                           counts=services.status_counts(current_user), action_form=ActionForm(),
                           statuses=list(ListingStatus), kinds=list(ListingKind), today=date.today(),
                           expiry_state=services.expiry_state, can_renew=permissions.can_renew_listing)


@bp.route("/new", methods=["GET", "POST"])
@supplier_required
def create():
    kind = services.parse_kind(request.args.get("kind"))
    if kind is None:
        return render_template("listings/choose_kind.html", kind_choices=KIND_CHOICES)
    form = _editor(kind)
    if form.validate_on_submit():
        try:
            listing = services.create_listing(kind, form.to_input(), current_user)
        except ListingActionError as error:
            db.session.rollback()
            attach_error(form, error.message, error.field)
        else:
            flash(_l("Draft saved. Add images, then submit it for review."), "success")
            return redirect(url_for(".edit", listing_id=listing.id))
    return _render_editor(form, kind, status=422 if form.errors or form.form_errors else 200)


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
@supplier_required
def edit(listing_id: int):
    listing = _own_listing(listing_id)
    if not permissions.can_edit_listing(current_user, listing):
        abort(403, description=_l("Archived listings cannot be edited; duplicate one to start again."))
    form = _editor(listing.kind, listing)
    if form.validate_on_submit():
        try:
            resubmitted = services.update_listing(listing, form.to_input(), current_user)
        except ListingActionError as error:
            db.session.rollback()
            attach_error(form, error.message, error.field)
        else:
            flash(_l("Saved and sent for review: the catalog shows the approved version until a moderator "
                     "approves your changes.") if listing.status is ListingStatus.PUBLISHED
                  else _l("Saved and sent for review: the listing is out of the catalog until approved.")
                  if resubmitted else _l("Saved."), "success")
            return redirect(url_for(".edit", listing_id=listing.id))
    return _render_editor(form, listing.kind, listing, status=422 if form.errors or form.form_errors else 200)


@bp.post("/<int:listing_id>/<any(submit,withdraw,renew,archive,duplicate):action>")
@supplier_required
def change(listing_id: int, action: str):
    listing = _own_listing(listing_id)
    use_case, message = ACTIONS[action]
    if ActionForm().validate_on_submit():
        try:
            result = use_case(listing, current_user)
        except ListingActionError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            if action == "renew" and listing.status is ListingStatus.PENDING_REVIEW:
                message = _l("Renewed. The text changed since it was approved, so it was sent for review and "
                             "returns to the catalog once a moderator approves it.")
            flash(message, "success")
            if action == "duplicate":
                return redirect(url_for(".edit", listing_id=result.id))
    back_to_editor = request.form.get("back") == "edit" and permissions.can_edit_listing(current_user, listing)
    return redirect(url_for(".edit", listing_id=listing.id) if back_to_editor else url_for(".index"))


@bp.post("/<int:listing_id>/images")
@supplier_required
def add_image(listing_id: int):
    listing = _own_listing(listing_id)
    form = MediaForm()
    if form.validate_on_submit():
        try:
            media.add_listing_image(listing, form.image.data.filename, form.image.data.stream, current_user)
        except ListingActionError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_l("Image added. Only you and the moderators see it until a moderator approves it."), "success")
    for message in form.image.errors:
        flash(message, "error")
    return redirect(url_for(".edit", listing_id=listing.id) + "#images")


@bp.post("/<int:listing_id>/images/<int:media_id>/delete")
@supplier_required
def remove_image(listing_id: int, media_id: int):
    listing = _own_listing(listing_id)
    image = db.session.get(ListingMedia, media_id)
    if image is None or image.listing_id != listing.id or not ActionForm().validate_on_submit():
        abort(404)
    try:
        media.remove_listing_image(listing, image, current_user)
    except ListingActionError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for(".edit", listing_id=listing.id) + "#images")


@bp.get("/images/<int:media_id>")
def image(media_id: int):
    """Every listing image goes through here: the files are not under static/."""
    image = db.session.get(ListingMedia, media_id)
    if image is None or not permissions.can_view_listing_image(current_user, image):
        abort(404)
    path = media.media_path(image)
    if not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), mimetype=image.content_type)  # small: the upload limit bounds it
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    is_public = permissions.is_public_image(image)
    response.headers["Cache-Control"] = "public, max-age=3600" if is_public else "private, no-cache"
    return response


def _import_page(form: ImportForm, status: int = 200, **context):
    return render_template("listings/import.html", form=form, column_labels=importing.COLUMN_LABELS,
                           **importing.limits(), **context), status


@bp.route("/import", methods=["GET", "POST"])
@supplier_required
def import_file():
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_page(form, 400 if form.errors else 200)
    upload = form.file.data
    try:
        content = importing.read_upload(upload.stream)
        if import_jobs.runs_in_background(content):
            token = import_jobs.start_check(upload.filename or "", content, current_user)
            return redirect(url_for(".import_job", token=token))
        report = importing.check_file(upload.filename or "", content)
    except importing.ImportRejected as rejected:
        form.file.errors.append(rejected.message)
        return _import_page(form, 413 if rejected.too_large else 400)
    if not report.is_clean:
        return _import_page(form, 422, preview=importing.report_summary(report))
    token = importing.stash_upload(upload.filename, content, current_user)
    return _import_page(form, preview=importing.report_summary(report), confirm_form=ConfirmImportForm(token=token))


@bp.get("/import/jobs/<token>")
@supplier_required
def import_job(token: str):
    """A large file being checked in the background: progress, then the report."""
    job = import_jobs.job_state(token, current_user)
    if job is None:
        abort(404)
    form = ImportForm(formdata=None)
    if job["state"] == import_jobs.FAILED:
        form.file.errors = [job["message"]]
        return _import_page(form)
    if job["state"] == import_jobs.READY:
        confirm_form = ConfirmImportForm(token=token) if job["is_clean"] else None
        return _import_page(form, preview=job["report"], confirm_form=confirm_form)
    return _import_page(form, job=job, progress_url=url_for(".import_progress", token=token))


@bp.get("/import/jobs/<token>/progress")
@supplier_required
def import_progress(token: str):
    job = import_jobs.job_state(token, current_user)
    if job is None:
        message = _l("The uploaded file has expired; please upload it again.")
        return jsonify(error="not_found", message=str(message)), 404
    return jsonify(state=job["state"], rows_read=job.get("rows_read", 0), max_rows=job["max_rows"],
                   finished=job["state"] in import_jobs.FINISHED, message=job.get("message"))


@bp.post("/import/confirm")
@supplier_required
def confirm_import():
    form = ConfirmImportForm()
    stashed = importing.load_stash(form.token.data, current_user) if form.validate_on_submit() else None
    if stashed is None:
        flash(_l("The uploaded file has expired; please upload it again."), "error")
        return redirect(url_for(".import_file"))
    try:
        count = importing.import_listings(*stashed, current_user)
    except (ListingActionError, importing.ImportRejected) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".import_file"))
    importing.drop_stash(form.token.data, current_user)
    import_jobs.drop_job(form.token.data, current_user)
    flash(_l("%(count)d listings were imported as drafts.", count=count), "success")
    return redirect(url_for(".index", status=ListingStatus.DRAFT.value))


@bp.get("/import/template.<any(csv,xlsx):file_format>")
@supplier_required
def import_template(file_format: str):
    body = exporting.import_template(file_format, services.template_example())
    return _download(body, file_format, "listings-import-template")


@bp.get("/export.<any(csv,xlsx):file_format>")
@supplier_required
def export(file_format: str):
    listings = services.organization_listings(current_user, services.parse_filters(request.args))
    return _download(exporting.export_listings(listings, file_format), file_format, "my-listings")


def _download(body: bytes, file_format: str, stem: str) -> Response:
    response = Response(body, mimetype=EXPORT_TYPES[file_format])
    response.headers["Content-Disposition"] = f"attachment; filename={stem}.{file_format}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
