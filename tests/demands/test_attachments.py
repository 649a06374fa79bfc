"""Demand attachments: type by content, size limit, plain names, and who may open them."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from catalog_app.demands import permissions
from catalog_app.demands.attachments import readable_size
from catalog_app.extensions import db
from catalog_app.models import AccessStatus, ConfidentialAccess, Confidentiality, DemandStatus, UserRole
from catalog_app.models._types import utcnow
from catalog_app.models.demands import DemandAttachment
from catalog_app.moderation.files import approve_files_of
from tests.conftest import login_as
from tests.demands.conftest import forget_current_user

pytestmark = pytest.mark.usefixtures("private_uploads")

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def own_demand(enterprise_user, create_demand):
    demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT)
    db.session.commit()
    return demand


def upload(client, demand, content: bytes, filename: str, is_public: bool = False):
    data = {"file": (io.BytesIO(content), filename)}
    if is_public:
        data["is_public"] = "y"
    return client.post(f"/demands/{demand.id}/attachments", data=data, content_type="multipart/form-data",
                       follow_redirects=True)


def stored() -> list[DemandAttachment]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(DemandAttachment).order_by(DemandAttachment.id)))


def test_a_pdf_is_stored_outside_static_under_a_random_name(enterprise_client, own_demand, private_uploads):
    response = upload(enterprise_client, own_demand, PDF, "技术规格书.pdf")
    [attachment] = stored()
    assert "附件已上传" in response.get_data(as_text=True) and "审核" in response.get_data(as_text=True)
    assert attachment.content_type == "application/pdf" and attachment.original_name == "技术规格书.pdf"
    assert attachment.size_bytes == len(PDF) and attachment.is_public is False
    assert (private_uploads / attachment.stored_name).read_bytes() == PDF
    assert attachment.stored_name != "技术规格书.pdf" and attachment.stored_name.endswith(".pdf")
    download = enterprise_client.get(f"/demands/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_an_image_is_accepted_and_its_extension_follows_its_content(enterprise_client, own_demand):
    upload(enterprise_client, own_demand, PNG, "现场照片.jpg")
    [attachment] = stored()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "现场照片.jpg.png"


@pytest.mark.parametrize("content, filename", [
    (b"<html><script>alert(1)</script></html>", "规格书.pdf"),   # a name is not a type
    (b"MZ\x90\x00\x03\x00\x00\x00", "drawing.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg"),
    (b"PK\x03\x04", "参数表.xlsx"),
])
def test_files_that_are_not_pdf_or_images_are_refused(enterprise_client, own_demand, private_uploads, content,
                                                      filename):
    html = upload(enterprise_client, own_demand, content, filename).get_data(as_text=True)
    assert "只能上传 PDF 文档及 PNG、JPEG、GIF 或 WebP 图片" in html
    assert stored() == []
    assert not private_uploads.exists() or list(private_uploads.iterdir()) == []


@pytest.mark.parametrize("filename", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "sub/dir.pdf", "/abs.pdf", "a\x00.pdf"])
def test_a_path_in_the_filename_is_refused(enterprise_client, own_demand, filename):
    html = upload(enterprise_client, own_demand, PDF, filename).get_data(as_text=True)
    assert "文件名不能包含文件夹路径" in html
    assert stored() == []


def test_a_file_over_the_limit_is_refused(app, enterprise_client, own_demand):
    app.config["DEMAND_ATTACHMENT_MAX_BYTES"] = 1024
    html = upload(enterprise_client, own_demand, PDF + b"0" * 1024, "大文件.pdf").get_data(as_text=True)
    assert "文件超过 1 KB" in html
    assert stored() == []
    upload(enterprise_client, own_demand, PDF, "小文件.pdf")
    assert len(stored()) == 1


def test_the_number_of_attachments_is_limited(app, enterprise_client, own_demand):
    app.config["DEMAND_ATTACHMENT_MAX_COUNT"] = 2
    for n in range(3):
        html = upload(enterprise_client, own_demand, PDF, f"附件{n}.pdf").get_data(as_text=True)
    assert "最多可上传 2 个附件" in html
    assert len(stored()) == 2


def test_limits_read_like_people_write_them():
    assert [readable_size(n) for n in (10 * 1048576, 1572864, 1024, 300)] == ["10 MB", "1.5 MB", "1 KB", "1 KB"]


def test_an_empty_upload_is_refused(enterprise_client, own_demand):
    response = enterprise_client.post(f"/demands/{own_demand.id}/attachments", data={},
                                      content_type="multipart/form-data", follow_redirects=True)
    assert "请选择文件" in response.get_data(as_text=True)
    assert stored() == []


def test_nobody_uploads_to_another_organizations_demand(enterprise_client, create_demand):
    foreign = create_demand(status=DemandStatus.DRAFT)
    db.session.commit()
    response = enterprise_client.post(f"/demands/{foreign.id}/attachments",
                                      data={"file": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 404
    assert stored() == []


def test_removing_an_attachment_deletes_the_file(enterprise_client, own_demand, private_uploads):
    upload(enterprise_client, own_demand, PDF, "作废.pdf")
    [attachment] = stored()
    path = private_uploads / attachment.stored_name
    enterprise_client.post(f"/demands/{own_demand.id}/attachments/{attachment.id}/delete")
    assert stored() == [] and not path.exists()


# ---------------------------------------------------------------- who may open a file

@pytest.fixture
def attachments_of(enterprise_client, enterprise_user, create_demand, create_user):
    """A public and a confidential file on a demand of the enterprise, in the given status;
    the files were approved by a moderator (as they are when the demand is approved)."""
    def factory(status: DemandStatus) -> tuple[int, int]:
        demand = create_demand(organization=enterprise_user.organization, status=DemandStatus.DRAFT)
        db.session.commit()
        upload(enterprise_client, demand, PDF, "公开.pdf", is_public=True)
        upload(enterprise_client, demand, PDF, "保密.pdf")
        approve_files_of(demand, create_user(role=UserRole.MODERATOR, organization=None))
        demand.status = status
        db.session.commit()
        public, confidential = stored()[-2:]
        return public.id, confidential.id
    return factory


def fetch(client, user, attachment_id: int) -> int:
    forget_current_user()
    if user is not None:
        login_as(client, user)
    return client.get(f"/demands/attachments/{attachment_id}").status_code


def test_public_file_of_a_public_demand_is_for_everyone(app, attachments_of, create_user):
    public_id, confidential_id = attachments_of(DemandStatus.PUBLISHED)
    assert fetch(app.test_client(), None, public_id) == 200
    assert fetch(app.test_client(), None, confidential_id) == 404
    assert fetch(app.test_client(), create_user(role=UserRole.SUPPLIER), confidential_id) == 404


def test_the_public_detail_page_lists_only_the_public_file(app, attachments_of, enterprise_user):
    attachments_of(DemandStatus.PUBLISHED)
    demand_id = stored()[0].demand_id
    forget_current_user()
    html = app.test_client().get(f"/demands/{demand_id}").get_data(as_text=True)
    assert "公开.pdf" in html and "保密.pdf" not in html


@pytest.mark.parametrize("status", [DemandStatus.DRAFT, DemandStatus.PENDING_REVIEW, DemandStatus.REJECTED,
                                    DemandStatus.CLOSED])
def test_files_of_a_demand_that_is_not_public_are_for_owner_and_staff_only(app, attachments_of, enterprise_user,
                                                                            create_user, status):
    public_id, confidential_id = attachments_of(status)
    for attachment_id in (public_id, confidential_id):
        assert fetch(app.test_client(), None, attachment_id) == 404
        assert fetch(app.test_client(), create_user(role=UserRole.ENTERPRISE), attachment_id) == 404
        assert fetch(app.test_client(), create_user(role=UserRole.SUPPLIER), attachment_id) == 404
        assert fetch(app.test_client(), enterprise_user, attachment_id) == 200
        assert fetch(app.test_client(), create_user(role=UserRole.MODERATOR, organization=None), attachment_id) == 200


def test_approved_suppliers_open_confidential_files_through_the_shared_rule(app, attachments_of, create_user):
    """The rule is `catalog_app.visibility.is_approved_supplier`: an unlocked access row."""
    _public_id, confidential_id = attachments_of(DemandStatus.PUBLISHED)
    demand = db.session.get(DemandAttachment, confidential_id).demand
    demand.confidentiality = Confidentiality.SUMMARY_ONLY
    approved, other = create_user(role=UserRole.SUPPLIER), create_user(role=UserRole.SUPPLIER)
    access = ConfidentialAccess(demand_id=demand.id, organization_id=approved.organization_id,
                                status=AccessStatus.APPROVED, decided_at=utcnow(), terms_accepted_at=utcnow())
    db.session.add(access)
    db.session.commit()
    assert permissions.is_approved_supplier(approved, demand) and not permissions.is_approved_supplier(other, demand)
    assert fetch(app.test_client(), approved, confidential_id) == 200
    assert fetch(app.test_client(), other, confidential_id) == 404
    access.status = AccessStatus.DECLINED
    db.session.commit()
    assert fetch(app.test_client(), approved, confidential_id) == 404


def test_an_unknown_attachment_is_404(client):
    assert client.get("/demands/attachments/999").status_code == 404


def test_a_chinese_file_name_downloads_with_an_rfc_6266_header(enterprise_client, own_demand):
    """需求说明书.pdf: a raw UTF-8 name is not a valid header (dev server hung, gunicorn answered 500)."""
    upload(enterprise_client, own_demand, PDF, "需求说明书.pdf")
    [attachment] = stored()
    download = enterprise_client.get(f"/demands/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    for name, value in download.headers.items():
        (name + value).encode("latin-1")  # what every WSGI server does with a header
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E9%9C%80%E6%B1%82%E8%AF%B4%E6%98%8E%E4%B9%A6.pdf" in disposition
    assert download.headers["Cache-Control"] == "private, no-cache"
