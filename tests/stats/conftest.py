"""Helpers for the statistics tests: regions by code, a proposal factory."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Proposal, ProposalStatus, Region


@pytest.fixture
def region(app):
    return lambda code: db.session.scalar(sa.select(Region).where(Region.code == code))


@pytest.fixture
def create_proposal(app, create_organization):
    def factory(demand, **kwargs) -> Proposal:
        proposal = Proposal(demand=demand, organization=kwargs.pop("organization", None) or create_organization(),
                            approach=kwargs.pop("approach", "部署视觉检测模型"),
                            status=kwargs.pop("status", ProposalStatus.SUBMITTED), **kwargs)
        db.session.add(proposal)
        db.session.flush()
        return proposal

    return factory
