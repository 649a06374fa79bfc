"""Fixtures of the enquiries tests: an enterprise, a supplier with a listing and contact on
file, a third party of each role, and a helper that sends an enquiry through the service."""
from __future__ import annotations

import pytest

from catalog_app.enquiries import services
from catalog_app.models import ListingStatus, OrganizationKind, UserRole

SUPPLIER_PHONE = "020-8888-1234"
SUPPLIER_ORG_EMAIL = "sales@vision-supplier.example.com"
ENTERPRISE_PHONE = "0757-2222-9876"


@pytest.fixture
def enterprise(create_user, create_organization):
    organization = create_organization(kind=OrganizationKind.ENTERPRISE, name="佛山皮具制造有限公司",
                                       contact_name="王经理", contact_phone=ENTERPRISE_PHONE,
                                       contact_email="purchase@leather.example.com")
    return create_user(role=UserRole.ENTERPRISE, organization=organization, display_name="需求方王经理",
                       email="buyer@leather.example.com")


@pytest.fixture
def supplier(create_user, create_organization):
    organization = create_organization(kind=OrganizationKind.SUPPLIER, name="广州视觉智能科技有限公司",
                                       contact_name="李工", contact_phone=SUPPLIER_PHONE,
                                       contact_email=SUPPLIER_ORG_EMAIL)
    return create_user(role=UserRole.SUPPLIER, organization=organization, display_name="供应商李工",
                       email="li@vision-supplier.example.com")


@pytest.fixture
def supplier_colleague(create_user, supplier):
    return create_user(role=UserRole.SUPPLIER, organization=supplier.organization, display_name="供应商同事",
                       email="colleague@vision-supplier.example.com")


@pytest.fixture
def listing(create_listing, supplier):
    return create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED,
                          title="皮具表面瑕疵AI视觉检测系统")


@pytest.fixture
def outsider_supplier(create_user):
    return create_user(role=UserRole.SUPPLIER, display_name="别家供应商")


@pytest.fixture
def outsider_enterprise(create_user):
    return create_user(role=UserRole.ENTERPRISE, display_name="别家企业")


@pytest.fixture
def send(listing, enterprise):
    """Send an enquiry about `listing` as `enterprise` (or as `actor`)."""

    def sender(body: str = "我们有三条皮具产线，想了解检测方案的报价和试点周期。", actor=None, **kwargs):
        data = services.EnquiryInput(body=body, **kwargs)
        return services.send_enquiry(listing.organization, listing, data, actor or enterprise)

    return sender
