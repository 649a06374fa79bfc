"""Events: published events (upcoming first, then past), one event with its figures, and
its public round demands (the shortlist once published). Drafts and cancelled events are
404 here for everyone: the API is the public face, staff use the site."""
from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from catalog_app.api.event_schemas import EventArgsSchema, EventDemandListSchema, EventPageSchema, EventSchema
from catalog_app.api.errors import validation_error
from catalog_app.api.routes import api_blueprint
from catalog_app.events import access, figures, services
from catalog_app.events import registration as signup
from catalog_app.extensions import db
from catalog_app.models import Region

bp = api_blueprint("api_events", __name__, url_prefix="/api/v1/events",
                   description="Matchmaking events and challenge rounds, their figures and round demands")


@dataclass
class EventView:
    """An event with the values the schemas read beside its columns (the row is not changed)."""

    event: object
    figures: figures.EventFigures

    def __getattr__(self, name):
        if name == "event":  # not set yet (copying): never recurse
            raise AttributeError(name)
        return getattr(self.event, name)

    @property
    def registration_open(self) -> bool:
        return signup.is_registration_open(self.event)

    @property
    def registration_closes_at(self):
        return self.event.registration_closes_at or self.event.starts_at

    @property
    def criteria(self):
        return services.published_criteria(self.event)

    @property
    def shortlist_published(self) -> bool:
        return self.event.shortlist_published_at is not None


def _event(slug: str):
    return access.event_by_slug(slug[:80], None)


@bp.route("", endpoint="list_events", methods=["GET"])
@bp.arguments(EventArgsSchema, location="query")
@bp.response(200, EventPageSchema)
@bp.doc(operationId="list_events", summary="Published events: upcoming first, then past")
def list_events(args: dict):
    region_id = None
    if args.get("region"):
        region = db.session.scalar(sa.select(Region).where(Region.code == args["region"]))
        if region is None:
            raise validation_error({"region": ["Unknown region code."]})
        region_id = region.id
    lists = services.list_events(args.get("kind"), region_id)
    events = {"upcoming": lists.upcoming, "past": lists.past}.get(args["when"], lists.upcoming + lists.past)
    per_page = args.get("per_page") or current_app.config["CATALOG_PAGE_SIZE"]
    page = args.get("page") or 1
    shown = events[(page - 1) * per_page:page * per_page]
    figures_by_id = figures.figures_for(event.id for event in shown)
    return {"items": [EventView(event, figures_by_id[event.id]) for event in shown],
            "pagination": {"page": page, "per_page": per_page, "total": len(events),
                           "pages": max(1, math.ceil(len(events) / per_page))}}


@bp.route("/<string:slug>", endpoint="get_event", methods=["GET"])
@bp.response(200, EventSchema)
@bp.doc(operationId="get_event", summary="One published event with its figures")
def get_event(slug: str):
    event = _event(slug)
    return EventView(event, figures.event_figures(event))


@bp.route("/<string:slug>/demands", endpoint="event_demands", methods=["GET"])
@bp.response(200, EventDemandListSchema)
@bp.doc(operationId="event_demands", summary="The event's public round demands (the shortlist once published)")
def event_demands(slug: str):
    return {"items": services.public_round_demands(_event(slug))}
