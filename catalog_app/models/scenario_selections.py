"""Curated "typical scenario" selections, one list per year, like the source city's
annual 100 typical scenarios and its TOP30.

Each entry carries a short citation (the published list, the reason it was chosen) so
that a reader can check why a scenario is on the list; moderators maintain the lists
and every change goes to the audit log.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog_app.extensions import db
from catalog_app.models._types import utcnow
from catalog_app.models.taxonomy import Scenario


class ScenarioSelection(db.Model):
    __tablename__ = "scenario_selections"
    __table_args__ = (sa.UniqueConstraint("year", "scenario_id", name="uq_scenario_selections_year_scenario"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    # On the year's short list of the very best (the TOP30), not only the long list.
    is_top: Mapped[bool] = mapped_column(default=False)
    citation: Mapped[str] = mapped_column(sa.String(300))
    added_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    scenario: Mapped[Scenario] = relationship()
