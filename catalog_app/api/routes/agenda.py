"""`GET /api/v1/events/<slug>/agenda`: the signed-in participant's accepted 1:1 meetings.

Signed in means a personal API token or the site's session (the agenda page's own
scripts); either way only an approved participant of the event has an agenda, and it holds
only the participant's own meetings.
"""
from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from catalog_app.api.routes import api_blueprint
from catalog_app.api.schemas import UtcDateTime
from catalog_app.api.tokens import token_user
from catalog_app.events import access
from catalog_app.meetings.services import accepted_meetings

bp = api_blueprint("api_agenda", __name__, url_prefix="/api/v1/events",
                   description="A participant's own meetings at an event")
F = ma.fields


class AgendaMeetingSchema(ma.Schema):
    id = F.Integer(required=True)
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(required=True)
    table = F.Integer(required=True)
    counterpart = F.String(required=True, metadata={"description": "The other organization's name"})
    counterpart_side = F.String(required=True, metadata={"description": "enterprise or supplier"})
    reason = F.String(required=True, metadata={"description": "The matching engine's reasons at request time"})


class AgendaSchema(ma.Schema):
    event = F.String(required=True, metadata={"description": "The event's slug"})
    title = F.String(required=True)
    venue = F.String(required=True)
    meetings = F.List(F.Nested(AgendaMeetingSchema), required=True)


@bp.route("/<string(maxlength=80):slug>/agenda", endpoint="get_agenda", methods=["GET"])
@bp.response(200, AgendaSchema)
@bp.doc(operationId="get_agenda", summary="Your accepted meetings at an event",
        security=[{"bearerAuth": []}])
def get_agenda(slug: str):
    user = token_user() or (current_user if current_user.is_authenticated else None)
    if user is None:
        raise Unauthorized("This operation needs an API token (Authorization: Bearer ...).")
    event = access.event_by_slug(slug, user)
    registration = access.approved_registration(user, event)
    if registration is None:
        raise Forbidden("Only approved participants of this event have an agenda.")
    rows = []
    for meeting in accepted_meetings(registration):
        other = meeting.invitee if meeting.requester_id == registration.id else meeting.requester
        rows.append({"id": meeting.id, "starts_at": meeting.slot.starts_at, "ends_at": meeting.slot.ends_at,
                     "table": meeting.table_number, "counterpart": other.organization.name,
                     "counterpart_side": other.side.value, "reason": meeting.reason})
    return {"event": event.slug, "title": event.title, "venue": event.venue, "meetings": rows}
