"""Confidential details of summary-only demands: request, approve, accept terms, read, log.

The details are read in exactly one place, `read_confidential_details`, which checks
`can_read_confidential` and records a ConfidentialView in the same transaction: a page
that shows them without a log row cannot exist. Emails about access never carry them.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden

from catalog_app.extensions import db
from catalog_app.models import AccessStatus, ConfidentialAccess, ConfidentialView, Demand, User
from catalog_app.models._types import utcnow
from catalog_app.audit import record
from catalog_app.proposals import permissions
from catalog_app.proposals.emails import link, notify_organization
from catalog_app.proposals.errors import ProposalError

NOTE_MAX = 500
LOG_LIMIT = 200

TERMS = (
    _l("The details of this demand are confidential information of the enterprise that posted it."),
    _l("You will use them only to prepare and discuss your proposal for this demand."),
    _l("You will not pass them on to anyone outside your organization, nor publish them, "
       "without the enterprise’s written consent."),
    _l("Every view of the details is recorded with your name and the time, and the enterprise can see this record."),
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def access_for(demand: Demand, organization_id: int | None) -> ConfidentialAccess | None:
    if organization_id is None:
        return None
    return db.session.scalar(sa.select(ConfidentialAccess).where(
        ConfidentialAccess.demand_id == demand.id, ConfidentialAccess.organization_id == organization_id))


def request_access(demand: Demand, note: str, actor: User) -> ConfidentialAccess:
    """Ask the enterprise for the details, once per supplier organization."""
    _require(permissions.can_request_access(actor, demand, access_for(demand, actor.organization_id)))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ProposalError(_l("At most %(max)d characters.", max=NOTE_MAX), "note")
    access = ConfidentialAccess(demand=demand, organization_id=actor.organization_id, requested_by_id=actor.id,
                                note=note)
    db.session.add(access)
    db.session.flush()
    record(actor, "confidential_access_requested", demand, access_id=access.id)
    notify_organization(demand.organization_id, "proposals_access_requested",
                        _l("Access to the details of “%(title)s” requested", title=demand.title), f"{access.id}",
                        demand=demand, supplier_name=actor.organization.name, note=note,
                        url=link("proposals.access", demand_id=demand.id))
    db.session.commit()
    return access


def decide_access(access: ConfidentialAccess, approve: bool, actor: User) -> ConfidentialAccess:
    """The enterprise approves or declines a supplier organization, until its terms are accepted."""
    _require(permissions.can_decide_access(actor, access))
    access.status = AccessStatus.APPROVED if approve else AccessStatus.DECLINED
    access.decided_by_id = actor.id
    access.decided_at = utcnow()
    record(actor, "confidential_access_" + ("approved" if approve else "declined"), access.demand,
           access_id=access.id, organization_id=access.organization_id)
    demand = access.demand
    subject = (_l("Access approved: “%(title)s”", title=demand.title) if approve
               else _l("Access not granted: “%(title)s”", title=demand.title))
    notify_organization(access.organization_id, "proposals_access_decided", subject,
                        f"{access.id}:{access.status.value}", demand=demand, approved=approve,
                        url=link("demands.detail", demand_id=demand.id))
    db.session.commit()
    return access


def accept_terms(demand: Demand, actor: User) -> ConfidentialAccess:
    """A member of the approved organization accepts the confidentiality terms; the details unlock."""
    access = access_for(demand, actor.organization_id)
    _require(permissions.can_accept_terms(actor, access))
    access.terms_accepted_by_id = actor.id
    access.terms_accepted_at = utcnow()
    record(actor, "confidential_terms_accepted", demand, access_id=access.id)
    db.session.commit()
    return access


def read_confidential_details(demand: Demand, actor: User, ip_address: str = "") -> str:
    """The details for an allowed reader, after recording the view (who, when).

    :raises Forbidden: for everyone else, including approved suppliers before the terms.
    """
    access = access_for(demand, actor.organization_id)
    _require(permissions.can_read_confidential(actor, demand, access))
    db.session.add(ConfidentialView(demand_id=demand.id, user_id=actor.id, organization_id=actor.organization_id,
                                    ip_address=(ip_address or "")[:45]))
    db.session.commit()
    return demand.confidential_details


@dataclass
class AccessOverview:
    requests: list[ConfidentialAccess]
    views: list[ConfidentialView]

    @property
    def pending(self) -> list[ConfidentialAccess]:
        return [access for access in self.requests if access.status is AccessStatus.REQUESTED]


def access_overview(demand: Demand, actor: User) -> AccessOverview:
    """The enterprise's page: who asked, who was approved, and the log of views."""
    _require(permissions.can_see_access_log(actor, demand))
    requests = db.session.scalars(
        sa.select(ConfidentialAccess).where(ConfidentialAccess.demand_id == demand.id)
        .options(selectinload(ConfidentialAccess.organization), selectinload(ConfidentialAccess.requested_by),
                 selectinload(ConfidentialAccess.terms_accepted_by))
        .order_by(ConfidentialAccess.requested_at.desc(), ConfidentialAccess.id.desc()))
    views = db.session.scalars(
        sa.select(ConfidentialView).where(ConfidentialView.demand_id == demand.id)
        .options(selectinload(ConfidentialView.user), selectinload(ConfidentialView.organization))
        .order_by(ConfidentialView.viewed_at.desc(), ConfidentialView.id.desc()).limit(LOG_LIMIT))
    return AccessOverview(requests=list(requests), views=list(views))


def pending_access_count(demand: Demand) -> int:
    return db.session.scalar(sa.select(sa.func.count(ConfidentialAccess.id)).where(
        ConfidentialAccess.demand_id == demand.id, ConfidentialAccess.status == AccessStatus.REQUESTED)) or 0
