"""Fixtures of the proposals tests: an enterprise with a demand, two suppliers, private uploads."""
from __future__ import annotations

import io

import pytest
from flask import g

from catalog_app.extensions import db
from catalog_app.models import Confidentiality, ListingStatus, UserRole
from catalog_app.proposals import services
from tests.conftest import login_as

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRET = "机密：产线节拍 42 秒，良率 97.3%，客户为某新能源车企"


@pytest.fixture(autouse=True)
def private_uploads(app, tmp_path):
    """Attachments go to the test's own folder, never to instance/."""
    app.config["PROPOSAL_UPLOAD_DIR"] = str(tmp_path / "proposals")
    return tmp_path / "proposals"


@pytest.fixture
def enterprise(create_user):
    return create_user(role=UserRole.ENTERPRISE, display_name="需求方张经理")


@pytest.fixture
def demand(create_demand, enterprise):
    return create_demand(organization=enterprise.organization, title="皮具表面缺陷视觉检测")


@pytest.fixture
def secret_demand(create_demand, enterprise):
    return create_demand(organization=enterprise.organization, title="电芯极片瑕疵检测",
                         confidentiality=Confidentiality.SUMMARY_ONLY, confidential_details=SECRET)


@pytest.fixture
def supplier(create_user):
    return create_user(role=UserRole.SUPPLIER, display_name="供应商李工")


@pytest.fixture
def other_supplier(create_user):
    return create_user(role=UserRole.SUPPLIER, display_name="别家供应商")


@pytest.fixture
def other_enterprise(create_user):
    return create_user(role=UserRole.ENTERPRISE, display_name="别家企业")


@pytest.fixture
def own_listing(create_listing, supplier):
    return create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED, title="AI 质检一体机")


def proposal_input(**overrides) -> services.ProposalInput:
    values = {"approach": "采用多光谱成像与深度学习模型，三周完成试点。", "timeline": "试点 3 周，上线 2 个月",
              "price_min": 30, "price_max": 50, "listing_ids": []}
    values.update(overrides)
    return services.ProposalInput(**values)


@pytest.fixture
def submit(demand, supplier):
    """Submit a proposal through the service (by `supplier` to `demand` unless told otherwise)."""
    def factory(target=None, actor=None, files=(), **overrides):
        return services.submit_proposal(target or demand, proposal_input(**overrides), list(files), actor or supplier)
    return factory


def as_user(client, user):
    """Log `client` in as `user`; forgets the user Flask-Login cached on `g` for a previous client."""
    g.pop("_login_user", None)
    login_as(client, user)
    return client


def upload(name: str, content: bytes):
    return (io.BytesIO(content), name)


@pytest.fixture
def committed():
    def commit():
        db.session.commit()
    return commit
