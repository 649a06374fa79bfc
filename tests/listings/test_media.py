"""Listing images: type by magic bytes, size limit, plain names, served only when visible."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.listings.media import sniff_image_type
from catalog_app.models import ListingStatus, UserRole
from catalog_app.models.listings import ListingMedia
from catalog_app.moderation import services as moderation
from tests.conftest import login_as
from tests.listings.conftest import forget_current_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


def _upload(client, listing, content: bytes, name: str):
    return client.post(f"/my/listings/{listing.id}/images", data={"image": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _media_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ListingMedia))


@pytest.fixture
def own_listing(supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    db.session.commit()
    return listing


def test_sniffing_by_content():
    assert sniff_image_type(PNG) == "image/png"
    assert sniff_image_type(JPEG) == "image/jpeg"
    assert sniff_image_type(b"GIF89a....") == "image/gif"
    assert sniff_image_type(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    assert sniff_image_type(b"<svg xmlns=") is None


def test_an_image_is_stored_outside_static_and_served_to_its_owner(supplier_client, own_listing, private_folders):
    response = _upload(supplier_client, own_listing, PNG, "产线照片.png")
    assert response.status_code == 200
    media = db.session.scalars(sa.select(ListingMedia)).one()
    stored = Path(private_folders / "media" / media.stored_name)
    assert stored.read_bytes() == PNG and "产线照片" not in media.stored_name
    served = supplier_client.get(f"/my/listings/images/{media.id}")
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("content, name", [
    (b"<html><script>alert(1)</script></html>", "photo.png"),  # wrong content, image name
    (PNG, "photo.html"),  # image content, wrong name
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg"),
    (PNG, "../../etc/passwd.png"),
    (PNG, "..\\..\\x.png"),
])
def test_wrong_type_or_a_path_in_the_name_is_refused_with_a_message(supplier_client, own_listing, content, name):
    response = _upload(supplier_client, own_listing, content, name)
    assert response.status_code == 200
    assert 'flash--error' in response.get_data(as_text=True)
    assert _media_count() == 0


def test_too_large_image_is_refused(app, supplier_client, own_listing):
    app.config["LISTING_MEDIA_MAX_BYTES"] = 1024
    response = _upload(supplier_client, own_listing, PNG + b"\0" * 2048, "big.png")
    assert "flash--error" in response.get_data(as_text=True)
    assert _media_count() == 0


def test_a_request_over_the_global_limit_gets_413(app, supplier_client, own_listing):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = supplier_client.post(f"/my/listings/{own_listing.id}/images",
                                    data={"image": (io.BytesIO(PNG + b"\0" * 8192), "big.png")},
                                    content_type="multipart/form-data")
    assert response.status_code == 413


def test_draft_images_are_hidden_from_others_and_published_approved_ones_are_public(
        client, supplier_client, supplier, own_listing, create_user):
    _upload(supplier_client, own_listing, JPEG, "a.jpg")
    media_id = db.session.scalars(sa.select(ListingMedia.id)).one()
    other = client.application.test_client()
    login_as(other, create_user(role=UserRole.SUPPLIER))
    forget_current_user()
    assert other.get(f"/my/listings/images/{media_id}").status_code == 404
    anonymous = client.application.test_client()
    forget_current_user()
    assert anonymous.get(f"/my/listings/images/{media_id}").status_code == 404
    own_listing.status = ListingStatus.PUBLISHED
    db.session.commit()
    forget_current_user()
    assert anonymous.get(f"/my/listings/images/{media_id}").status_code == 404  # not reviewed yet
    moderation.decide_file_and_record("listing_image", media_id, create_user(role=UserRole.MODERATOR,
                                                                             organization=None), approve=True)
    forget_current_user()
    response = anonymous.get(f"/my/listings/images/{media_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=3600"
    forget_current_user()
    assert other.get(f"/my/listings/images/{media_id}").status_code == 200


def test_nobody_adds_images_to_another_organizations_listing(supplier_client, create_listing):
    foreign = create_listing(status=ListingStatus.DRAFT)
    db.session.commit()
    response = supplier_client.post(f"/my/listings/{foreign.id}/images", data={"image": (io.BytesIO(PNG), "a.png")},
                                    content_type="multipart/form-data")
    assert response.status_code == 404 and _media_count() == 0


def test_remove_image(supplier_client, own_listing, private_folders):
    _upload(supplier_client, own_listing, PNG, "a.png")
    media = db.session.scalars(sa.select(ListingMedia)).one()
    path = Path(private_folders / "media" / media.stored_name)
    response = supplier_client.post(f"/my/listings/{own_listing.id}/images/{media.id}/delete")
    assert response.status_code == 302
    assert _media_count() == 0 and not path.exists()
