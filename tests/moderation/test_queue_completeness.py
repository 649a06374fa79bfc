"""The queue sees everything: every row awaiting review is listed, counted and decidable.

"Pending rows" are read here straight from the tables, independently of the adapters in
`moderation/reviewables.py`, so a kind of pending work the queue forgets fails the test.
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from catalog_app import audit
from catalog_app.extensions import db
from catalog_app.listings import services as listing_services
from catalog_app.listings.services import ListingInput
from catalog_app.models import (
    AuditEntry,
    Demand,
    DemandStatus,
    Listing,
    ListingStatus,
    Organization,
    ReviewDecision,
    Revision,
    User,
    UserRole,
)
from catalog_app.models.demands import DemandAttachment
from catalog_app.models.listings import ListingMedia
from catalog_app.moderation import files, services
from tests.conftest import login_as

FILE_PARENTS = {"listing_image": (ListingMedia, "listing_id", Listing), "demand_file": (DemandAttachment, "demand_id", Demand)}


def pending_rows() -> set[tuple[str, int]]:
    """Every row a moderator owes a decision, read from the tables."""
    rows = {("listing", i) for i in db.session.scalars(
        sa.select(Listing.id).where(Listing.status == ListingStatus.PENDING_REVIEW))}
    rows |= {("demand", i) for i in db.session.scalars(
        sa.select(Demand.id).where(Demand.status == DemandStatus.PENDING_REVIEW))}
    for revision in db.session.scalars(sa.select(Revision).where(Revision.decision == ReviewDecision.PENDING)):
        if revision.object_type in ("listing", "demand"):
            obj = services.load_reviewable(revision.object_type, revision.object_id)
            if obj is not None and obj.status.value not in ("draft", "archived", "closed"):
                rows.add((revision.object_type, revision.object_id))
        else:
            model, parent_key, parent_model = FILE_PARENTS[revision.object_type]
            file = db.session.get(model, revision.object_id)
            if file is not None and db.session.get(parent_model, getattr(file, parent_key)).status.value != "draft":
                rows.add((revision.object_type, revision.object_id))
    decided = set(db.session.scalars(sa.select(AuditEntry.object_id).where(
        AuditEntry.object_type == "organization", AuditEntry.action.like("organization_%"))))
    for organization in db.session.scalars(sa.select(Organization).where(Organization.is_verified.is_(False))):
        has_member = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
            User.organization_id == organization.id, User.is_active.is_(True)))
        if has_member and organization.id not in decided:
            rows.add(("organization", organization.id))
    return rows


def reachable_rows() -> set[tuple[str, int]]:
    """Rows the queue lists, plus the files shown (and decided) on a listed item's review page."""
    entries = services.review_queue().items
    listed = {(entry.object_type, entry.obj.id) for entry in entries}
    for type_name, (model, parent_key, _parent) in FILE_PARENTS.items():
        parent_type = files.parent_type_of(type_name)
        for file in db.session.scalars(sa.select(model)):
            if (parent_type, getattr(file, parent_key)) in listed:
                listed.add((type_name, file.id))
    return listed


def assert_queue_matches_the_tables() -> set[tuple[str, int]]:
    expected = pending_rows()
    assert expected <= reachable_rows()
    counts = services.queue_counts()
    listed = {(entry.object_type, entry.obj.id) for entry in services.review_queue().items}
    assert counts["all"] == len(listed)
    for type_name in services.QUEUE_TYPES:
        assert counts[type_name] == len({row for row in listed if row[0] == type_name}), type_name
    return expected


def decide_until_empty(decide, limit: int = 500) -> int:
    """Decide the first queue entry until none is left (a decision may settle others: an item's files)."""
    for decided in range(limit):
        entries = services.review_queue().items
        if not entries:
            return decided
        decide(entries[0].obj)
    raise AssertionError("the queue does not empty: some entry cannot be decided")


def _file(model, parent_key, parent, owner):
    extra = {"uploaded_by_id": owner.id, "is_public": True} if model is DemandAttachment else {}
    file = model(**{parent_key: parent.id}, stored_name=uuid.uuid4().hex, original_name="图纸.png",
                 content_type="image/png", size_bytes=10, **extra)
    db.session.add(file)
    db.session.flush()
    files.submit_file(file, owner)
    return file


@pytest.fixture
def pending_of_every_kind(create_user, create_listing, create_demand):
    """One row of each kind of pending work, including the broken kind older code left behind."""
    supplier = create_user(role=UserRole.SUPPLIER)
    enterprise = create_user(role=UserRole.ENTERPRISE)
    submitted = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT, summary="摘要")
    db.session.commit()
    listing_services.submit_listing(submitted, supplier)
    published = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED, title="旧标题")
    db.session.commit()
    listing_services.update_listing(published, ListingInput(title="新标题", summary="摘要"), supplier)
    # A demand put in pending_review directly, without a revision (the demo's demands 28, 39, ...).
    orphan = create_demand(organization=enterprise.organization, status=DemandStatus.PENDING_REVIEW)
    public_demand = create_demand(organization=enterprise.organization, status=DemandStatus.PUBLISHED)
    image = _file(ListingMedia, "listing_id", published, supplier)
    attachment = _file(DemandAttachment, "demand_id", public_demand, enterprise)
    draft_image = _file(ListingMedia, "listing_id", create_listing(organization=supplier.organization,
                                                                   status=ListingStatus.DRAFT), supplier)
    db.session.commit()
    return {"submitted": submitted, "published": published, "orphan": orphan, "image": image,
            "attachment": attachment, "draft_image": draft_image,
            "organizations": (supplier.organization, enterprise.organization)}


def test_every_pending_row_is_listed_counted_and_approvable(pending_of_every_kind, create_user):
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    expected = assert_queue_matches_the_tables()
    rows = pending_of_every_kind
    assert expected == {("listing", rows["submitted"].id), ("listing", rows["published"].id),
                        ("demand", rows["orphan"].id), ("listing_image", rows["image"].id),
                        ("demand_file", rows["attachment"].id),
                        *(("organization", organization.id) for organization in rows["organizations"])}

    decide_until_empty(lambda obj: services.approve_and_notify(obj, moderator))

    assert pending_rows() == set()
    assert services.queue_counts()["all"] == 0
    assert db.session.get(Demand, rows["orphan"].id).status is DemandStatus.PUBLISHED
    assert db.session.get(Listing, rows["published"].id).title == "新标题"
    assert all(organization.is_verified for organization in rows["organizations"])
    # The draft's image was never work: it waits for the draft's submission.
    assert files.file_decisions("listing_image", [rows["draft_image"].id]) == {
        rows["draft_image"].id: ReviewDecision.PENDING}


def test_every_pending_row_is_rejectable(pending_of_every_kind, create_user):
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    decide_until_empty(lambda obj: services.reject_and_notify(obj, moderator, "信息不实"))

    assert pending_rows() == set() and services.queue_counts()["all"] == 0
    rows = pending_of_every_kind
    assert db.session.get(Demand, rows["orphan"].id).status is DemandStatus.REJECTED
    published = db.session.get(Listing, rows["published"].id)
    assert published.status is ListingStatus.PUBLISHED and published.title == "旧标题"  # approved text stays
    assert not any(organization.is_verified for organization in rows["organizations"])


def test_a_pending_row_without_revision_opens_with_its_content_and_a_decision(app, pending_of_every_kind,
                                                                              create_user):
    orphan = pending_of_every_kind["orphan"]
    client = app.test_client()
    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    page = client.get(f"/moderation/demand/{orphan.id}").get_data(as_text=True)
    assert orphan.title in page and f"/moderation/demand/{orphan.id}/approve" in page
    assert "不在审核中" not in page
    queue = client.get("/moderation").get_data(as_text=True)
    assert f'data-queue-item="demand-{orphan.id}"' in queue


def test_repair_gives_pending_rows_their_revision_once(app, pending_of_every_kind):
    orphan = pending_of_every_kind["orphan"]
    runner = app.test_cli_runner()
    first = runner.invoke(args=["moderation", "repair"])
    assert first.exit_code == 0 and f"repaired demand {orphan.id}" in first.output
    revision = services.pending_revision(db.session.get(Demand, orphan.id))
    assert revision is not None and revision.snapshot["title"] == orphan.title
    second = runner.invoke(args=["moderation", "repair"])
    assert "0 pending rows" in second.output


def test_declining_an_organization_takes_it_out_of_the_queue(app, create_user):
    owner = create_user(role=UserRole.SUPPLIER)
    organization = owner.organization
    client = app.test_client()
    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    assert ("organization", organization.id) in pending_rows()
    response = client.post(f"/moderation/organization/{organization.id}/reject", data={"note": "信用代码不符"})
    assert response.status_code == 302
    assert ("organization", organization.id) not in pending_rows()
    assert services.queue_counts()["organization"] == 0
    assert not db.session.get(Organization, organization.id).is_verified
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "organization_declined")).one()
    assert entry.detail["reason"] == "信用代码不符"


def test_queue_counts_on_the_page_match_the_tables(app, pending_of_every_kind, create_user):
    client = app.test_client()
    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    page = client.get("/moderation").get_data(as_text=True)
    expected = pending_rows()
    assert 'data-queue-type="all" href="/moderation"' in page
    for type_name in ("listing", "demand", "organization", "listing_image", "demand_file"):
        count = len({row for row in expected if row[0] == type_name})
        assert services.queue_counts()[type_name] == count
    assert page.count("data-queue-item=") == len(expected)


def test_audit_record_lives_on_the_shared_floor(create_listing):
    listing = create_listing()
    entry = audit.record(None, "edited", listing)
    assert (entry.object_type, entry.object_id) == ("listing", listing.id)


# ---------------------------------------------------------------- edits of public items

def test_an_edited_listing_stays_public_with_the_approved_text_until_approval(app, create_user, create_listing):
    supplier = create_user(role=UserRole.SUPPLIER)
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    listing = create_listing(organization=supplier.organization, status=ListingStatus.PUBLISHED,
                             title="注塑机能耗监测方案", summary="旧摘要：按班组统计能耗。")
    db.session.commit()
    public_url = f"/solutions/{listing.id}"
    assert "旧摘要" in app.test_client().get(public_url).get_data(as_text=True)

    listing_services.update_listing(listing, ListingInput(title="注塑机能耗监测方案（二期）",
                                                          summary="新摘要：按机台实时监测能耗。"), supplier)
    page = app.test_client().get(public_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "旧摘要" in text and "新摘要" not in text and "二期" not in text

    services.approve_and_notify(db.session.get(Listing, listing.id), moderator)
    text = app.test_client().get(public_url).get_data(as_text=True)
    assert "新摘要" in text and "注塑机能耗监测方案（二期）" in text and "旧摘要" not in text


def test_an_edited_demand_stays_public_with_the_approved_text_until_approval(app, create_user, create_demand):
    from catalog_app.demands import services as demand_services

    owner = create_user(role=UserRole.ENTERPRISE)
    moderator = create_user(role=UserRole.MODERATOR, organization=None)
    demand = create_demand(organization=owner.organization, status=DemandStatus.PUBLISHED, title="陶瓷釉面缺陷检测",
                           summary="旧摘要：人工目检漏检率高。")
    db.session.commit()
    values = demand_services.input_of(demand)
    edited = type(values)(**{**values.__dict__, "summary": "新摘要：需要在线视觉检测。"})
    result = demand_services.save_demand(demand, edited, owner)
    assert result.outcome is demand_services.SaveOutcome.SUBMITTED

    public_url = f"/demands/{demand.id}"
    text = app.test_client().get(public_url).get_data(as_text=True)
    assert "旧摘要" in text and "新摘要" not in text
    assert ("demand", demand.id) in pending_rows()

    services.approve_and_notify(db.session.get(Demand, demand.id), moderator)
    text = app.test_client().get(public_url).get_data(as_text=True)
    assert "新摘要" in text and "旧摘要" not in text


def test_the_queue_verifies_an_organization_in_one_click(app, create_user):
    owner = create_user(role=UserRole.ENTERPRISE)
    client = app.test_client()
    login_as(client, create_user(role=UserRole.MODERATOR, organization=None))
    queue = client.get("/moderation?type=organization").get_data(as_text=True)
    assert f"/moderation/organization/{owner.organization_id}/approve" in queue
    assert client.post(f"/moderation/organization/{owner.organization_id}/approve").status_code == 302
    assert db.session.get(Organization, owner.organization_id).is_verified
    again = client.post(f"/moderation/organization/{owner.organization_id}/approve", follow_redirects=True)
    assert "该条目已不在审核中" in again.get_data(as_text=True)  # decided already: explained, nothing changed
    assert services.queue_counts()["organization"] == 0


def test_members_cannot_use_the_decision_routes(app, create_user):
    owner = create_user(role=UserRole.ENTERPRISE)
    client = app.test_client()
    login_as(client, owner)
    assert client.post(f"/moderation/organization/{owner.organization_id}/approve").status_code == 403
    assert not db.session.get(Organization, owner.organization_id).is_verified
