"""Demo rows awaiting review get what the app would have given them: a pending revision.

The bulk writer sets statuses directly; a listing or demand in `pending_review` without a
revision could never be approved or rejected (the moderation queue works on revisions).
So after the bulk load every pending row is submitted through the moderation service, by
its organization's member, exactly as the editor's "submit for review" button does. A
pending row of an organization without any member (nobody could have submitted it) is
left a draft instead.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from catalog_app.extensions import db
from catalog_app.models import Demand, DemandStatus, Listing, ListingStatus, User
from catalog_app.moderation.services import submit_for_review


def queue_pending_reviews(user_by_org: dict[int, int], since_listing_id: int, since_demand_id: int) -> int:
    """Submit every pending listing and demand loaded in this run; returns how many.

    :param since_listing_id: / since_demand_id: the first ids of this run, so a second
        load (--scale with existing data) leaves earlier rows alone.
    """
    submitted = 0
    for model, pending, draft, first_id in ((Listing, ListingStatus.PENDING_REVIEW, ListingStatus.DRAFT,
                                             since_listing_id),
                                            (Demand, DemandStatus.PENDING_REVIEW, DemandStatus.DRAFT,
                                             since_demand_id)):
        rows = db.session.scalars(
            sa.select(model).where(model.status == pending, model.id >= first_id)
            .options(selectinload(model.industries), selectinload(model.scenarios),
                     selectinload(model.technologies))).all()
        users = {user.id: user for user in db.session.scalars(
            sa.select(User).where(User.id.in_({user_by_org[r.organization_id] for r in rows
                                               if r.organization_id in user_by_org})))}
        for row in rows:
            user = users.get(user_by_org.get(row.organization_id))
            if user is None:
                row.status = draft
                continue
            submit_for_review(row, user)
            submitted += 1
    db.session.flush()
    return submitted
