"""What follows a moderator's approval: a published demand is announced to the suppliers
whose listings answer it.

The walk, every call pointing down the layers:

    moderation.services.approve_and_notify          (feature: decision, audit, owner's e-mail)
      → the after-approval hook registered by publishing.init_app (this module)
        → recommendations.matches.qualifying_matches  (feature: refresh Match rows, qualify)
        → notifications.recommendations_mail.queue_demand_mail  (feature: render and queue)
          → email_queue.send_email                    (floor: an outbox row, no SMTP)

All of it runs inside the moderator's transaction, which `approve_and_notify` commits once.
"""
from __future__ import annotations

import logging

from catalog_app.extensions import db
from catalog_app.models import Demand
from catalog_app.notifications.recommendations_mail import QueueReport, queue_demand_mail
from catalog_app.recommendations import matches

log = logging.getLogger(__name__)


def announce_demand(demand: Demand) -> QueueReport:
    """Refresh the demand's matches and queue the e-mails to the suppliers that qualify.

    Called in the approval's transaction (never commits). Runs inside a SAVEPOINT: if
    ranking or rendering fails, the error is logged and the demand is still published,
    without recommendation e-mails — publishing must not depend on the matching engine.
    """
    try:
        with db.session.begin_nested():
            return queue_demand_mail(demand, matches.qualifying_matches(demand))
    except Exception:  # noqa: BLE001 - see docstring
        log.exception("recommendation emails for demand %s failed; demand published without them", demand.id)
        return QueueReport()
