"""Registration and password reset take the same time whether or not the address has an
account; dismissing and the organization directory reveal nothing (issue #13, finding 8)."""
from __future__ import annotations

import statistics
import time

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import DemandStatus, ListingStatus, Match, Organization, UserRole
from tests.accounts.conftest import registration  # noqa: F401 (fixture)
from tests.conftest import login_as, settle_search

FLOOR = 0.3


def _median(durations: list[float]) -> float:
    return statistics.median(durations)


def _timed(post) -> float:
    started = time.perf_counter()
    response = post()
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    return elapsed


def test_reset_takes_as_long_for_a_known_address_as_for_an_unknown_one(app, client, create_user):
    app.config.update(ACCOUNT_RESPONSE_FLOOR_SECONDS=FLOOR, ACCOUNT_EMAIL_LIMIT="100 per minute",
                      PASSWORD_RESET_LIMIT_PER_IP="100 per minute")
    user = create_user()
    db.session.commit()
    known = [_timed(lambda: client.post("/password/forgot", data={"email": user.email})) for _ in range(4)]
    unknown = [_timed(lambda: client.post("/password/forgot", data={"email": "nobody@gdtech.cn"}))
               for _ in range(4)]
    assert min(known + unknown) >= FLOOR
    assert 0.75 < _median(unknown) / _median(known) < 1.33, (known, unknown)


def test_registration_takes_as_long_for_a_taken_address_as_for_a_free_one(app, create_user, registration,  # noqa: F811
                                                                           monkeypatch):
    """Both paths hash the password; Argon2's time (about a second on a loaded test machine)
    would drown the difference being measured, so a constant-time stand-in replaces it here
    and the floor has to hide the rest (creating the organization versus not)."""
    from catalog_app.accounts import services

    monkeypatch.setattr(services, "hash_password", lambda password: "$argon2id$stand-in")
    app.config.update(ACCOUNT_RESPONSE_FLOOR_SECONDS=FLOOR, REGISTRATION_LIMIT_PER_IP="100 per minute",
                      ACCOUNT_EMAIL_LIMIT="100 per minute")
    create_user(email="taken@gdtech.cn")
    db.session.commit()
    app.test_client().post("/register", data=registration())  # warm up templates and the hasher
    taken = [_timed(lambda: app.test_client().post("/register", data=registration(email="taken@gdtech.cn")))
             for _ in range(3)]
    free = [_timed(lambda: app.test_client().post("/register", data=registration())) for _ in range(3)]
    assert min(taken + free) >= FLOOR
    assert 0.75 < _median(taken) / _median(free) < 1.33, (taken, free)


def test_the_floor_pads_only_up_to_its_value(app):
    from catalog_app.accounts.timing import response_floor

    app.config["ACCOUNT_RESPONSE_FLOOR_SECONDS"] = 0.05
    with app.app_context():
        started = time.perf_counter()
        with response_floor():
            pass
        assert 0.05 <= time.perf_counter() - started < 0.2
        started = time.perf_counter()
        with response_floor():
            time.sleep(0.1)
        assert time.perf_counter() - started < 0.15  # already past the floor: no extra wait


# --- /recommendations/dismiss --------------------------------------------------------------

def _matches() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Match))


def test_dismissing_against_another_organizations_draft_is_a_404_like_an_unknown_id(
        client, create_user, create_listing, create_demand):
    supplier = create_user(role=UserRole.SUPPLIER)
    listing = create_listing(organization=supplier.organization)
    draft = create_demand(status=DemandStatus.DRAFT)
    pending = create_demand(status=DemandStatus.PENDING_REVIEW)
    db.session.commit()
    login_as(client, supplier)
    answers = [client.post("/recommendations/dismiss", data={"demand_id": demand_id, "listing_id": listing.id})
               for demand_id in (draft.id, pending.id, 999999)]
    assert [response.status_code for response in answers] == [404, 404, 404]
    assert answers[0].get_data() == answers[2].get_data()
    assert _matches() == 0


def test_dismissing_another_organizations_unpublished_listing_is_a_404(client, create_user, create_listing,
                                                                        create_demand):
    enterprise = create_user(role=UserRole.ENTERPRISE)
    demand = create_demand(organization=enterprise.organization)
    draft_listing = create_listing(status=ListingStatus.DRAFT)
    db.session.commit()
    login_as(client, enterprise)
    response = client.post("/recommendations/dismiss", data={"demand_id": demand.id, "listing_id": draft_listing.id})
    assert response.status_code == 404 and _matches() == 0


def test_either_side_still_dismisses_a_public_pair_and_its_own_draft(client, create_user, create_listing,
                                                                      create_demand):
    supplier = create_user(role=UserRole.SUPPLIER)
    listing = create_listing(organization=supplier.organization, status=ListingStatus.DRAFT)
    demand = create_demand()
    db.session.commit()
    login_as(client, supplier)
    response = client.post("/recommendations/dismiss", data={"demand_id": demand.id, "listing_id": listing.id})
    assert response.status_code == 302 and _matches() == 1


# --- /api/v1/organizations ------------------------------------------------------------------

def test_the_directory_total_counts_only_what_it_lists(client, create_organization, create_listing):
    public = create_organization(name="星河视觉检测科技有限公司")
    create_listing(organization=public)
    hidden = create_organization(name="星河视觉检测装备有限公司")  # nothing public: not in the directory
    db.session.commit()
    settle_search()
    body = client.get("/api/v1/organizations", query_string={"q": "星河视觉检测"}).get_json()
    assert [item["id"] for item in body["items"]] == [public.id]
    assert body["pagination"]["total"] == 1
    only_hidden = client.get("/api/v1/organizations", query_string={"q": "星河视觉检测装备"}).get_json()
    assert hidden.id not in [item["id"] for item in only_hidden["items"]]
    assert only_hidden["pagination"]["total"] == len(only_hidden["items"])
    assert db.session.get(Organization, hidden.id) is not None


def test_a_page_of_the_directory_is_full_when_hidden_organizations_rank_first(client, create_organization,
                                                                               create_listing):
    for n in range(3):
        create_organization(name=f"云帆智能检测{n}号有限公司")  # hidden, and ranked like the others
    shown = []
    for n in range(3):
        organization = create_organization(name=f"云帆智能检测公开{n}有限公司")
        create_listing(organization=organization)
        shown.append(organization.id)
    db.session.commit()
    settle_search()
    first = client.get("/api/v1/organizations", query_string={"q": "云帆智能检测", "per_page": 2}).get_json()
    second = client.get("/api/v1/organizations", query_string={"q": "云帆智能检测", "per_page": 2,
                                                                "page": 2}).get_json()
    assert first["pagination"]["total"] == 3
    listed = [item["id"] for item in first["items"] + second["items"]]
    assert len(first["items"]) == 2 and sorted(listed) == sorted(shown)
