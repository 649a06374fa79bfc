"""Attachments: checked by magic bytes and size, served only to the two parties."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g

from catalog_app.extensions import db
from catalog_app.models import Proposal, ProposalAttachment
from tests.proposals.conftest import PDF_BYTES, PNG_BYTES, as_user, upload

VALID = {"approach": "附件测试方案", "timeline": "", "price_min": "", "price_max": ""}


def post_new(client, demand, *files):
    return client.post(f"/proposals/demand/{demand.id}/new", data={**VALID, "attachments": list(files)},
                       content_type="multipart/form-data")


def test_pdf_and_image_are_stored_under_random_names(client, supplier, demand, private_uploads):
    as_user(client, supplier)
    response = post_new(client, demand, upload("方案说明.pdf", PDF_BYTES), upload("现场照片.png", PNG_BYTES))
    assert response.status_code == 302
    stored = db.session.scalars(sa.select(ProposalAttachment).order_by(ProposalAttachment.id)).all()
    assert [(a.original_name, a.content_type) for a in stored] == [("方案说明.pdf", "application/pdf"),
                                                                   ("现场照片.png", "image/png")]
    assert sorted(path.name for path in private_uploads.iterdir()) == sorted(a.stored_name for a in stored)
    assert all("方案" not in a.stored_name for a in stored)


def test_a_renamed_executable_is_refused_and_nothing_is_stored(client, supplier, demand, private_uploads):
    as_user(client, supplier)
    response = post_new(client, demand, upload("ok.pdf", PDF_BYTES), upload("报价.pdf", b"MZ\x90\x00fake pdf"))
    assert response.status_code == 422
    assert "不是 PDF" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0
    assert not private_uploads.exists() or not any(private_uploads.iterdir())


def test_a_file_over_the_limit_is_refused(app, client, supplier, demand):
    app.config["PROPOSAL_ATTACHMENT_MAX_BYTES"] = 100
    as_user(client, supplier)
    response = post_new(client, demand, upload("big.pdf", PDF_BYTES + b"0" * 200))
    assert response.status_code == 422 and "MB" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ProposalAttachment.id))) == 0


def test_too_many_files_are_refused(app, client, supplier, demand):
    app.config["PROPOSAL_ATTACHMENT_MAX_COUNT"] = 1
    as_user(client, supplier)
    response = post_new(client, demand, upload("a.pdf", PDF_BYTES), upload("b.pdf", PDF_BYTES))
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(ProposalAttachment.id))) == 0


def test_served_only_to_the_enterprise_and_the_supplier(client, submit, supplier, enterprise, other_supplier,
                                                        other_enterprise, create_user):
    proposal = submit(files=[("报价单.pdf", upload("报价单.pdf", PDF_BYTES)[0])])
    db.session.commit()
    [attachment] = proposal.attachments
    url = f"/proposals/attachments/{attachment.id}"
    for user in (supplier, enterprise):
        as_user(client, user)
        response = client.get(url)
        assert response.status_code == 200 and response.data == PDF_BYTES
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
        disposition = response.headers["Content-Disposition"]
        disposition.encode("latin-1")  # a valid header; the name itself travels as RFC 6266 filename*
        assert disposition.startswith("attachment;") and "filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf" in disposition
    for user in (other_supplier, other_enterprise):
        as_user(client, user)
        assert client.get(url).status_code == 404
    g.pop("_login_user", None)
    assert client.application.test_client().get(url).status_code == 302  # anonymous: to the login page


def test_supplier_removes_an_attachment_while_editing(client, submit, supplier, private_uploads):
    proposal = submit(files=[("a.png", upload("a.png", PNG_BYTES)[0])])
    db.session.commit()
    [attachment] = proposal.attachments
    as_user(client, supplier)
    assert client.post(f"/proposals/{proposal.id}/attachments/{attachment.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ProposalAttachment.id))) == 0
    assert not any(private_uploads.iterdir())
