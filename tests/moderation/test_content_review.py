"""Every public change goes through review: renewing an edited expired listing, files added
to published demands and listings (owner sees them pending, the public does not, a
moderator approves or rejects them on the item's review page)."""
from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g

from catalog_app.extensions import db
from catalog_app.listings import services as listing_services
from catalog_app.listings.services import ListingInput
from catalog_app.models import (
    AuditEntry,
    DemandStatus,
    ListingStatus,
    ReviewDecision,
    Revision,
    UserRole,
)
from catalog_app.models.demands import DemandAttachment
from catalog_app.models.listings import ListingMedia
from catalog_app.moderation import files, services
from tests.conftest import login_as

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_folders(app, tmp_path):
    app.config["LISTING_MEDIA_DIR"] = str(tmp_path / "media")
    app.config["DEMAND_UPLOAD_DIR"] = str(tmp_path / "demands")


def _queued_files():
    """(type, id) of every file waiting in the review queue on its own."""
    return [(entry.object_type, entry.obj.id) for entry in services.review_queue().items
            if entry.object_type in files.FILE_TYPES]


def _as(app, user):
    """A client signed in as `user` (None: anonymous) whose requests load their own user:
    the test keeps one app context open, where Flask-Login caches the user on `g`."""
    g.pop("_login_user", None)
    client = app.test_client()
    if user is not None:
        login_as(client, user)
    return client


def _get(app, user, url):
    client = _as(app, user)
    g.pop("_login_user", None)
    return client.get(url)


# ---------------------------------------------------------------- renewing an expired listing

def _approved_then_expired(create_listing, supplier, moderator):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT,
                             title="视觉检测方案", summary="摘要", expires_at=date.today() + timedelta(days=30))
    services.submit_for_review(listing, supplier)
    services.approve_and_notify(listing, moderator)
    listing.status = ListingStatus.EXPIRED
    listing.expires_at = date.today() - timedelta(days=3)
    db.session.commit()
    return listing


def _edit_input(listing, **changes) -> ListingInput:
    values = {"title": listing.title, "summary": listing.summary, "body": listing.body,
              "keywords": listing.keywords, "expires_at": date.today() + timedelta(days=20)}
    return ListingInput(**{**values, **changes})


def test_an_expired_listing_edited_then_renewed_goes_to_review(app, create_listing, supplier, moderator):
    listing = _approved_then_expired(create_listing, supplier, moderator)
    listing_services.update_listing(listing, _edit_input(listing, body="未经审核的新正文"), supplier)
    assert listing.status is ListingStatus.EXPIRED
    listing_services.renew_listing(listing, supplier)
    assert listing.status is ListingStatus.PENDING_REVIEW
    pending = services.pending_revision(listing)
    assert pending is not None and pending.snapshot["body"] == "未经审核的新正文"
    assert _get(app, None, f"/solutions/{listing.id}").status_code == 404


def test_an_expired_listing_renewed_without_text_changes_is_published_again(create_listing, supplier, moderator):
    listing = _approved_then_expired(create_listing, supplier, moderator)
    listing_services.update_listing(listing, _edit_input(listing), supplier)  # saved, nothing changed but the date
    listing_services.renew_listing(listing, supplier)
    assert listing.status is ListingStatus.PUBLISHED
    assert services.pending_revision(listing) is None


def test_content_published_without_a_revision_counts_edits_since_publication(create_listing, supplier):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED,
                             expires_at=date.today() - timedelta(days=3))
    listing.status = ListingStatus.EXPIRED
    db.session.commit()
    assert services.changed_since_approval(listing) is False
    listing_services.update_listing(listing, _edit_input(listing, summary="改过的摘要"), supplier)
    listing_services.renew_listing(listing, supplier)
    assert listing.status is ListingStatus.PENDING_REVIEW


def test_the_renew_button_says_the_listing_went_to_review(app, create_listing, supplier, moderator):
    listing = _approved_then_expired(create_listing, supplier, moderator)
    listing_services.update_listing(listing, _edit_input(listing, title="新标题"), supplier)
    response = _as(app, supplier).post(f"/my/listings/{listing.id}/renew", follow_redirects=True)
    assert "审核" in response.get_data(as_text=True)
    assert db.session.get(type(listing), listing.id).status is ListingStatus.PENDING_REVIEW


# ---------------------------------------------------------------- files added to published items

@pytest.fixture
def published_demand(create_user, create_demand):
    owner = create_user(role=UserRole.ENTERPRISE)
    demand = create_demand(organization=owner.organization, status=DemandStatus.PUBLISHED)
    db.session.commit()
    return owner, demand


@pytest.fixture
def published_listing(create_listing, supplier):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED)
    db.session.commit()
    return listing


def _attach(app, owner, demand, is_public=True):
    data = {"file": (io.BytesIO(PDF), "新增图纸.pdf")}
    if is_public:
        data["is_public"] = "y"
    _as(app, owner).post(f"/demands/{demand.id}/attachments", data=data, content_type="multipart/form-data")
    return db.session.scalars(sa.select(DemandAttachment).order_by(DemandAttachment.id.desc())).first()


def _add_image(app, supplier, listing):
    _as(app, supplier).post(f"/my/listings/{listing.id}/images", data={"image": (io.BytesIO(PNG), "新图片.png")},
                            content_type="multipart/form-data")
    return db.session.scalars(sa.select(ListingMedia).order_by(ListingMedia.id.desc())).first()


def test_an_attachment_added_to_a_published_demand_waits_for_review(app, published_demand, moderator, create_user):
    owner, demand = published_demand
    attachment = _attach(app, owner, demand)
    url = f"/demands/attachments/{attachment.id}"

    # The owner sees it, marked as waiting; the public and other suppliers do not.
    assert _get(app, owner, url).status_code == 200
    editor = _get(app, owner, f"/demands/{demand.id}/edit").get_data(as_text=True)
    assert "新增图纸.pdf" in editor and "file-state--pending" in editor
    assert _get(app, None, url).status_code == 404
    assert _get(app, create_user(role=UserRole.SUPPLIER), url).status_code == 404
    assert "新增图纸.pdf" not in _get(app, None, f"/demands/{demand.id}").get_data(as_text=True)
    assert db.session.get(type(demand), demand.id).status is DemandStatus.PUBLISHED  # the demand stays public

    # It is listed in the queue and on the demand's review page, where the moderator approves it.
    queue = _get(app, moderator, "/moderation").get_data(as_text=True)
    assert demand.title in queue and f"/moderation/demand/{demand.id}#files" in queue
    review = _get(app, moderator, f"/moderation/demand/{demand.id}").get_data(as_text=True)
    assert "新增图纸.pdf" in review and f"/moderation/files/demand_file/{attachment.id}/approve" in review
    assert _get(app, moderator, url).status_code == 200  # the moderator can open it
    response = _as(app, moderator).post(f"/moderation/files/demand_file/{attachment.id}/approve")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/demand/{demand.id}#files")

    # Then it is public, and the queue is empty again.
    assert _get(app, None, url).status_code == 200
    assert "新增图纸.pdf" in _get(app, None, f"/demands/{demand.id}").get_data(as_text=True)
    assert _queued_files() == []
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "file_approved")).one()
    assert (entry.object_type, entry.object_id, entry.detail["file_id"]) == ("demand", demand.id, attachment.id)


def test_an_image_added_to_a_published_listing_waits_for_review(app, published_listing, supplier, moderator):
    image = _add_image(app, supplier, published_listing)
    url = f"/my/listings/images/{image.id}"
    assert _get(app, supplier, url).status_code == 200
    editor = _get(app, supplier, f"/my/listings/{published_listing.id}/edit").get_data(as_text=True)
    assert "file-state--pending" in editor
    assert _get(app, None, url).status_code == 404
    assert ("listing_image", image.id) in _queued_files()
    review = _get(app, moderator, f"/moderation/listing/{published_listing.id}").get_data(as_text=True)
    assert f"/moderation/files/listing_image/{image.id}/approve" in review and url in review
    _as(app, moderator).post(f"/moderation/files/listing_image/{image.id}/approve")
    assert _get(app, None, url).status_code == 200


def test_a_rejected_file_stays_hidden_and_the_owner_sees_why(app, published_demand, moderator):
    owner, demand = published_demand
    attachment = _attach(app, owner, demand)
    reject_url = f"/moderation/files/demand_file/{attachment.id}/reject"
    no_reason = _as(app, moderator).post(reject_url, data={"note": " "})
    assert no_reason.status_code == 302
    assert files.file_decisions(files.DEMAND_FILE, [attachment.id]) == {attachment.id: ReviewDecision.PENDING}
    _as(app, moderator).post(reject_url, data={"note": "含联系方式"})
    assert _get(app, None, f"/demands/attachments/{attachment.id}").status_code == 404
    assert "file-state--rejected" in _get(app, owner, f"/demands/{demand.id}/edit").get_data(as_text=True)
    revision = db.session.scalars(sa.select(Revision).where(Revision.object_type == "demand_file")).one()
    assert revision.decision is ReviewDecision.REJECTED and revision.reason == "含联系方式"
    again = _as(app, moderator).post(f"/moderation/files/demand_file/{attachment.id}/approve")
    assert again.status_code == 302  # decided already: explained, nothing changed
    assert files.file_decisions(files.DEMAND_FILE, [attachment.id]) == {attachment.id: ReviewDecision.REJECTED}


def test_approving_an_item_approves_the_files_shown_with_it(app, create_listing, supplier, moderator):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT, summary="摘要")
    db.session.commit()
    image = _add_image(app, supplier, listing)
    assert _queued_files() == []  # a draft's files are not work yet
    listing_services.submit_listing(listing, supplier)
    review = _get(app, moderator, f"/moderation/listing/{listing.id}").get_data(as_text=True)
    assert "新图片.png" in review
    services.approve_and_notify(listing, moderator)
    assert _get(app, None, f"/my/listings/images/{image.id}").status_code == 200


def test_members_cannot_decide_files(app, published_demand, create_user):
    owner, demand = published_demand
    attachment = _attach(app, owner, demand)
    for user in (owner, create_user(role=UserRole.SUPPLIER)):
        assert _as(app, user).post(f"/moderation/files/demand_file/{attachment.id}/approve").status_code == 403
    assert _as(app, None).post(f"/moderation/files/demand_file/{attachment.id}/approve").status_code == 302
    assert files.file_decisions(files.DEMAND_FILE, [attachment.id]) == {attachment.id: ReviewDecision.PENDING}
    assert _as(app, create_user(role=UserRole.MODERATOR, organization=None)).post(
        "/moderation/files/demand_file/9999/approve").status_code == 404


def test_deleting_a_pending_file_takes_it_out_of_the_queue(app, published_demand):
    owner, demand = published_demand
    attachment = _attach(app, owner, demand)
    _as(app, owner).post(f"/demands/{demand.id}/attachments/{attachment.id}/delete")
    assert _queued_files() == []
    decisions = db.session.scalars(sa.select(Revision.decision).where(Revision.object_type == "demand_file")).all()
    assert decisions == [ReviewDecision.WITHDRAWN]


def test_files_uploaded_before_file_review_stay_public(app, published_demand):
    owner, demand = published_demand
    legacy = DemandAttachment(demand_id=demand.id, stored_name="a" * 32 + ".pdf", original_name="旧附件.pdf",
                              content_type="application/pdf", size_bytes=len(PDF), is_public=True)
    db.session.add(legacy)
    db.session.commit()
    folder = Path(app.config["DEMAND_UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / legacy.stored_name).write_bytes(PDF)
    assert _get(app, None, f"/demands/attachments/{legacy.id}").status_code == 200
