"""The taxonomy: industries, value-chain stages with their scenarios, technologies, regions.

Every term carries a Chinese and an English name; `localized_name` picks one so that
templates and services never branch on the locale themselves.
"""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.i18n import is_english


class _BilingualName:
    name_zh: Mapped[str]
    name_en: Mapped[str]

    def localized_name(self, locale: str | None) -> str:
        return self.name_en if is_english(locale) else self.name_zh


class Industry(_BilingualName, db.Model):
    __tablename__ = "industries"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("industries.id"), index=True)
    is_pillar: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[Optional["Industry"]] = relationship(remote_side=[id])


class ScenarioStage(_BilingualName, db.Model):
    """A value-chain stage of the national scenario reference list (factory construction ...)."""

    __tablename__ = "scenario_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)

    scenarios: Mapped[list["Scenario"]] = relationship(
        back_populates="stage", order_by="Scenario.position"
    )


class Scenario(_BilingualName, db.Model):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("scenario_stages.id"), index=True)
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    summary_zh: Mapped[str] = mapped_column(sa.Text, default="")
    summary_en: Mapped[str] = mapped_column(sa.Text, default="")
    pain_points_zh: Mapped[str] = mapped_column(sa.Text, default="")
    pain_points_en: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.String(20), default="miit-2025")
    position: Mapped[int] = mapped_column(default=0)

    stage: Mapped[ScenarioStage] = relationship(back_populates="scenarios")

    def localized_summary(self, locale: str | None) -> str:
        return self.summary_en if is_english(locale) else self.summary_zh


class Technology(_BilingualName, db.Model):
    __tablename__ = "technologies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))


class Region(_BilingualName, db.Model):
    """A prefecture-level city of Guangdong or one of its districts and counties."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(40))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    level: Mapped[str] = mapped_column(sa.String(10))
    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("regions.id"), index=True)

    parent: Mapped[Optional["Region"]] = relationship(remote_side=[id])

    @property
    def city(self) -> "Region":
        return self.parent if self.parent is not None else self
