"""Taxonomy look-ups shared by the public catalog tests."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Industry, Region, Scenario, Technology


def scenario(slug: str = "online-intelligent-inspection") -> Scenario:
    return db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug))


def industry(code: str = "hardware") -> Industry:
    return db.session.scalar(sa.select(Industry).where(Industry.code == code))


def technology(slug: str = "machine-vision") -> Technology:
    return db.session.scalar(sa.select(Technology).where(Technology.slug == slug))


def region(code: str) -> Region:
    return db.session.scalar(sa.select(Region).where(Region.code == code))
