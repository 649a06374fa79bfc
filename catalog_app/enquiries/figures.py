"""A supplier's responsiveness to enquiries: reply rate and median first-reply time.

Computed as the enterprise's median response time is for proposals
(`proposals.services.median_response_time`): from a timestamp set once, by the first answer.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from catalog_app.extensions import db
from catalog_app.models import Enquiry


@dataclass
class ReplyFigures:
    received: int
    replied: int
    median_first_reply: timedelta | None

    @property
    def reply_rate(self) -> float | None:
        """Share of received enquiries the supplier answered (0..1); None before the first one."""
        return self.replied / self.received if self.received else None


def first_reply_times(organization_id: int) -> list[timedelta]:
    """Sent → the supplier's first action, for every answered enquiry to the organization."""
    rows = db.session.execute(
        sa.select(Enquiry.created_at, Enquiry.first_reply_at)
        .where(Enquiry.organization_id == organization_id, Enquiry.first_reply_at.is_not(None)))
    return [replied - sent for sent, replied in rows]


def reply_figures(organization_id: int) -> ReplyFigures:
    """The supplier's reply rate and median first-reply time, as the enterprise's median
    response time is computed for proposals (`proposals.services.median_response_time`)."""
    received = db.session.scalar(sa.select(sa.func.count()).select_from(Enquiry)
                                 .where(Enquiry.organization_id == organization_id)) or 0
    times = first_reply_times(organization_id)
    median = timedelta(seconds=statistics.median(t.total_seconds() for t in times)) if times else None
    return ReplyFigures(received=received, replied=len(times), median_first_reply=median)


def public_reply_figures(organization_id: int) -> ReplyFigures | None:
    """The figures for the profile page, or None below ENQUIRY_FIGURES_MIN_RECEIVED enquiries
    (one or two enquiries make a rate that says nothing)."""
    figures = reply_figures(organization_id)
    if figures.received < current_app.config["ENQUIRY_FIGURES_MIN_RECEIVED"]:
        return None
    return figures
