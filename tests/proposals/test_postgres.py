"""The proposal queries on PostgreSQL: the partial unique index, CASE ordering, counts and the median."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from catalog_app.extensions import db
from catalog_app.models import DeclineReason, Proposal, ProposalStatus, UserRole
from catalog_app.proposals import confidentiality, services
from tests.proposals.conftest import SECRET, as_user

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_app):
    """Every fixture of this module (users, demands, client) on PostgreSQL."""
    return pg_app


def test_workflow_and_figures_on_postgres(client, submit, demand, supplier, enterprise, create_user):
    other = create_user(role=UserRole.SUPPLIER)
    first, second = submit(), submit(actor=other)
    first.submitted_at -= timedelta(hours=4)
    db.session.commit()
    services.post_message(first, "请补充案例", enterprise)
    services.decline_proposal(second, DeclineReason.NOT_A_FIT, "", enterprise)
    services.shortlist_proposal(first, enterprise)
    assert [p.id for p in services.proposals_for_demand(demand, enterprise)] == [first.id, second.id]
    services.record_agreement(first, 75, "", enterprise)
    assert services.deal_counts() == services.DealCounts(1, 2, 1, 75)
    assert services.deal_counts(other.organization) == services.DealCounts(1, 1, 0, 0)
    assert services.median_response_time(enterprise.organization_id) > timedelta(hours=1)
    as_user(client, enterprise)
    assert client.get(f"/demands/{demand.id}").status_code == 200
    assert client.get(f"/proposals/demand/{demand.id}").status_code == 200
    assert client.get("/").status_code == 200


def test_the_database_allows_one_active_proposal_per_organization(submit, demand, supplier):
    first = submit()
    services.withdraw_proposal(first, supplier)
    submit()  # a withdrawn proposal does not block a new one
    db.session.add(Proposal(demand_id=demand.id, organization_id=supplier.organization_id, approach="重复"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Proposal.id)).where(
        Proposal.status != ProposalStatus.WITHDRAWN)) == 1


def test_confidential_flow_on_postgres(client, secret_demand, supplier, enterprise):
    access = confidentiality.request_access(secret_demand, "", supplier)
    confidentiality.decide_access(access, True, enterprise)
    confidentiality.accept_terms(secret_demand, supplier)
    assert confidentiality.read_confidential_details(secret_demand, supplier) == SECRET
    as_user(client, enterprise)
    assert supplier.display_name in client.get(f"/proposals/demand/{secret_demand.id}/access").get_data(as_text=True)
