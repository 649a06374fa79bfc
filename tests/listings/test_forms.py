"""The editor: messages beside the field, nothing stored half, case outcome rows."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import CaseOutcome, Listing, ListingKind, ListingStatus


def _count(model=Listing) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _error_after(page: str, field_id: str) -> str:
    """The error paragraph that belongs to a field (aria-describedby points at it)."""
    match = re.search(rf'<p class="lm-field__error" id="{field_id}-error">([^<]*)</p>', page)
    return match.group(1) if match else ""


@pytest.mark.parametrize("field, value, field_id", [
    ("title", "长" * 121, "title"),
    ("title", "\u200b\u3000\u200d", "title"),
    ("maturity_trl", "12", "maturity_trl"),
    ("maturity_trl", "abc", "maturity_trl"),
    ("expires_at", (date.today() - timedelta(days=1)).isoformat(), "expires_at"),
    ("summary", "字" * 501, "summary"),
])
def test_invalid_values_get_a_message_beside_the_field_and_nothing_is_stored(supplier_client, field, value, field_id):
    data = {"title": "合法标题", "summary": "摘要", field: value}
    response = supplier_client.post("/my/listings/new?kind=solution", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_after(page, field_id), page[:0]
    assert 'aria-invalid="true"' in page
    assert _count() == 0


def test_a_bad_outcome_row_stores_nothing_of_the_edit(supplier_client, supplier, create_listing):
    case = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT,
                          title="原案例标题")
    db.session.commit()
    response = supplier_client.post(f"/my/listings/{case.id}/edit", data={
        "title": "改过的标题",
        "outcomes-0-label": "良率", "outcomes-0-metric": "yield", "outcomes-0-before_value": "九十",
        "outcomes-0-after_value": "98", "outcomes-0-unit": "%",
    })
    assert response.status_code == 422
    assert "请输入数字" in response.get_data(as_text=True) or "Enter a number" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Listing, case.id).title == "原案例标题"
    assert _count(CaseOutcome) == 0


def test_case_outcomes_and_links_through_the_form(supplier_client, supplier, create_listing):
    solution = create_listing(organization=supplier.organization, title="排产优化方案")
    case = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT)
    db.session.commit()
    page = supplier_client.get(f"/my/listings/{case.id}/edit").get_data(as_text=True)
    assert "排产优化方案" in page and 'name="outcomes-1-label"' in page
    response = supplier_client.post(f"/my/listings/{case.id}/edit", data={
        "title": "某电子厂智能排产", "customer_name": "某电子厂", "linked": [str(solution.id)],
        "outcomes-0-label": "交付周期", "outcomes-0-metric": "cycle_time", "outcomes-0-before_value": "15",
        "outcomes-0-after_value": "9", "outcomes-0-unit": "天",
        "outcomes-1-label": "", "outcomes-1-before_value": "", "outcomes-1-after_value": "", "outcomes-1-unit": "",
    })
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Listing, case.id)
    assert [(o.label, o.before_value, o.after_value, o.unit) for o in case.outcomes] == [("交付周期", 15, 9, "天")]
    assert [linked.id for linked in case.linked] == [solution.id]


def test_another_organizations_listing_cannot_be_linked(supplier_client, supplier, create_listing):
    foreign = create_listing(title="别家方案")
    case = create_listing(ListingKind.CASE, organization=supplier.organization, status=ListingStatus.DRAFT)
    db.session.commit()
    response = supplier_client.post(f"/my/listings/{case.id}/edit", data={"title": "案例", "linked": [str(foreign.id)]})
    assert response.status_code == 422  # not among the choices
    db.session.expire_all()
    assert db.session.get(Listing, case.id).linked == []


def test_editing_a_published_listing_says_the_edit_goes_to_review(supplier_client, supplier, create_listing):
    listing = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED, title="改前")
    db.session.commit()
    page = supplier_client.get(f"/my/listings/{listing.id}/edit").get_data(as_text=True)
    assert 'class="lm-notice"' in page
    response = supplier_client.post(f"/my/listings/{listing.id}/edit", data={"title": "改后", "summary": "s"},
                                    follow_redirects=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "审核通过前，目录中仍显示已通过的版本" in text  # the flash
    assert 'value="改后"' in text  # the editor shows the edit waiting for review
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert listing.status is ListingStatus.PUBLISHED and listing.title == "改前"


def test_unknown_taxonomy_id_is_refused(supplier_client):
    response = supplier_client.post("/my/listings/new?kind=product", data={"title": "产品", "scenarios": ["999999"]})
    assert response.status_code == 422
    assert _count() == 0
