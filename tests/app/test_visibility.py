"""The confidentiality rule (`catalog_app.visibility`): who reads which text of a demand."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import AccessStatus, ConfidentialAccess, Confidentiality, Demand, UserRole
from catalog_app.models._types import utcnow
from catalog_app.visibility import (
    NEVER_PUBLIC_FIELDS,
    SUMMARY_ONLY_HIDDEN_FIELDS,
    demand_text,
    is_approved_supplier,
    public_demand_text,
    public_text_column,
)

TEXT = {name: f"{name}-秘密" for name in SUMMARY_ONLY_HIDDEN_FIELDS + NEVER_PUBLIC_FIELDS}


@pytest.fixture
def locked(create_demand):
    demand = create_demand(title="轮毂检测", summary="公开摘要", confidentiality=Confidentiality.SUMMARY_ONLY, **TEXT)
    db.session.commit()
    return demand


def test_the_public_sees_title_and_summary_of_a_summary_only_demand(locked):
    text = public_demand_text(locked)
    assert (text.title, text.summary) == ("轮毂检测", "公开摘要")
    assert all(getattr(text, name) == "" for name in TEXT) and text.is_locked
    assert text.shown("background") is None and text.shown("summary") == "公开摘要"
    assert "秘密" not in text.matching_text() and text.matching_text().count("轮毂检测") == 2


def test_a_public_demand_withholds_its_confidential_details_only(create_demand):
    demand = create_demand(confidentiality=Confidentiality.PUBLIC, **TEXT)
    text = public_demand_text(demand)
    assert text.background == TEXT["background"] and text.data_available == TEXT["data_available"]
    assert text.confidential_details == "" and not text.is_locked
    assert text.withheld == NEVER_PUBLIC_FIELDS


def test_owner_and_staff_read_everything_other_people_the_public_text(locked, create_user):
    owner = create_user(role=UserRole.ENTERPRISE, organization=locked.organization)
    assert demand_text(locked, owner).withheld == () and demand_text(locked, owner).confidential_details
    assert demand_text(locked, create_user(role=UserRole.MODERATOR, organization=None)).withheld == ()
    assert demand_text(locked, create_user(role=UserRole.ADMIN, organization=None)).withheld == ()
    inactive = create_user(role=UserRole.ENTERPRISE, organization=locked.organization, is_active=False)
    supplier_in_owner_org = create_user(role=UserRole.SUPPLIER, organization=locked.organization)
    for reader in (None, create_user(role=UserRole.ENTERPRISE), create_user(role=UserRole.SUPPLIER), inactive,
                   supplier_in_owner_org):
        assert demand_text(locked, reader).is_locked, reader


@pytest.mark.parametrize("status, accepted, approved", [
    (AccessStatus.REQUESTED, False, False),
    (AccessStatus.APPROVED, False, False),   # approved, terms not accepted yet
    (AccessStatus.APPROVED, True, True),
    (AccessStatus.DECLINED, True, False),
])
def test_an_approved_supplier_needs_approval_and_the_terms(locked, create_user, status, accepted, approved):
    supplier = create_user(role=UserRole.SUPPLIER)
    db.session.add(ConfidentialAccess(demand_id=locked.id, organization_id=supplier.organization_id, status=status,
                                      terms_accepted_at=utcnow() if accepted else None))
    db.session.commit()
    assert is_approved_supplier(supplier, locked) is approved
    colleague = create_user(role=UserRole.SUPPLIER, organization=supplier.organization)
    assert is_approved_supplier(colleague, locked) is approved  # the access is the organization's
    assert not is_approved_supplier(create_user(role=UserRole.SUPPLIER), locked)
    # Approved suppliers read the text on the logged page only, never through demand_text.
    assert demand_text(locked, supplier).is_locked


def test_the_sql_column_hides_the_text_of_summary_only_demands(locked, create_demand):
    public = create_demand(confidentiality=Confidentiality.PUBLIC, **TEXT)
    db.session.commit()
    rows = dict(db.session.execute(sa.select(Demand.id, public_text_column(Demand.background))
                                   .where(Demand.id.in_([locked.id, public.id]))).all())
    assert rows == {locked.id: "", public.id: TEXT["background"]}
    details = db.session.scalar(sa.select(public_text_column(Demand.confidential_details)).where(Demand.id == public.id))
    assert details == ""
    assert db.session.scalar(sa.select(public_text_column(Demand.summary)).where(Demand.id == locked.id)) == "公开摘要"
