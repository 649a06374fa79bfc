"""Fixtures of the API tests: tokens, a seeded catalog, JSON helpers."""
from __future__ import annotations

import pytest

from catalog_app.api import tokens
from catalog_app.extensions import db
from catalog_app.models import Confidentiality, DemandStatus, ListingKind, UserRole

SECRET_MARKER = "CONFIDENTIAL-7f3a-DO-NOT-LEAK"


@pytest.fixture
def make_token(app, create_user):
    """`make_token(role=..., scopes=(...))` -> (user, bearer headers)."""

    def factory(role: UserRole = UserRole.SUPPLIER, scopes=None, user=None):
        user = user or create_user(role=role)
        db.session.commit()
        new = tokens.create_token(user, "test", tokens.scopes_for(user) if scopes is None else scopes)
        return user, {"Authorization": f"Bearer {new.secret}"}

    return factory


@pytest.fixture
def seeded(app, create_listing, create_demand, any_scenario):
    """Published listings of every kind and demands, one with confidential details."""
    listings = [create_listing(kind, title=f"机器视觉缺陷检测 {kind.value}", keywords="视觉检测")
                for kind in ListingKind]
    listings[0].scenarios = [any_scenario]
    public = create_demand(confidential_details=SECRET_MARKER, background="产线背景")
    locked = create_demand(confidentiality=Confidentiality.SUMMARY_ONLY, background="隐藏背景",
                           confidential_details=SECRET_MARKER)
    draft = create_demand(status=DemandStatus.DRAFT, title="草稿需求")
    db.session.commit()
    return {"listings": listings, "public": public, "locked": locked, "draft": draft}
