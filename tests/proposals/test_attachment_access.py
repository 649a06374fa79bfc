"""Non-public demand attachments follow the confidential details (the proposals rule)."""
from __future__ import annotations

from catalog_app.demands.permissions import can_view_attachment
from catalog_app.extensions import db
from catalog_app.models import (
    AccessStatus,
    ConfidentialAccess,
    Confidentiality,
    UserRole,
)
from catalog_app.models._types import utcnow
from catalog_app.models.demands import DemandAttachment


def test_only_unlocked_suppliers_open_non_public_attachments(app, create_user, create_demand):
    enterprise = create_user(UserRole.ENTERPRISE)
    demand = create_demand(organization=enterprise.organization, confidentiality=Confidentiality.SUMMARY_ONLY,
                           confidential_details="工艺参数与良率数据")
    attachment = DemandAttachment(demand_id=demand.id, stored_name="a" * 32, original_name="spec.pdf",
                                  content_type="application/pdf", size_bytes=10, is_public=False)
    db.session.add(attachment)
    unlocked, approved_only, stranger = (create_user(UserRole.SUPPLIER) for _ in range(3))
    db.session.add_all([
        ConfidentialAccess(demand_id=demand.id, organization_id=unlocked.organization_id,
                           status=AccessStatus.APPROVED, decided_at=utcnow(), terms_accepted_at=utcnow()),
        ConfidentialAccess(demand_id=demand.id, organization_id=approved_only.organization_id,
                           status=AccessStatus.APPROVED, decided_at=utcnow()),
    ])
    db.session.commit()

    assert can_view_attachment(unlocked, attachment)
    assert not can_view_attachment(approved_only, attachment)
    assert not can_view_attachment(stranger, attachment)
    assert can_view_attachment(enterprise, attachment)
