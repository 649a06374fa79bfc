"""Every route x every kind of visitor has an expected status, and no GET writes.

A route added to the app without an entry here fails `test_every_route_is_in_the_matrix`:
whoever adds a route decides, in this file, who may reach it. GET routes are requested as
they are; POST/PATCH routes with an empty body, which must never succeed nor crash.
Regenerate the table for review with `MATRIX_PRINT=1 pytest tests/security/test_access_matrix.py -s`.
"""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from tests.conftest import login_as
from tests.security.access_fixtures import ROLES, build_world, url_for_rule

# endpoint -> (method, statuses for anonymous, enterprise, supplier, moderator, admin)
MATRIX: dict[str, tuple[str, tuple[int, ...]]] = {
    # Development only (DEV_MAILBOX): off in tests as in production, so 404 for everyone.
    "accounts.accept_invitation": ("GET", (400, 400, 400, 400, 400)),
    "accounts.account": ("GET", (302, 200, 200, 200, 200)),
    "accounts.change_password": ("POST", (302, 400, 400, 400, 400)),
    "accounts.delete_account": ("POST", (302, 400, 400, 400, 400)),
    "accounts.export_data": ("GET", (302, 200, 200, 200, 200)),
    "accounts.forgot_password": ("GET", (200, 200, 200, 200, 200)),
    "accounts.login": ("GET", (200, 302, 302, 302, 302)),
    "accounts.logout": ("POST", (302, 302, 302, 302, 302)),
    "accounts.my_data": ("GET", (302, 200, 200, 200, 200)),
    "accounts.organization": ("GET", (302, 200, 200, 200, 200)),
    "accounts.register": ("GET", (200, 302, 302, 302, 302)),
    "accounts.remove_member": ("POST", (302, 403, 403, 403, 403)),
    "accounts.resend_verification": ("POST", (302, 302, 302, 302, 302)),
    "accounts.reset_password": ("GET", (400, 400, 400, 400, 400)),
    "accounts.revoke_invitation": ("POST", (302, 403, 403, 403, 403)),
    "accounts.verify_email": ("GET", (400, 400, 400, 400, 400)),
    "api-docs.openapi_json": ("GET", (200, 200, 200, 200, 200)),
    "api_agenda.get_agenda": ("GET", (401, 200, 200, 403, 403)),
    "api_demands.create_demand": ("POST", (401, 401, 401, 401, 401)),
    "api_demands.demand_recommendations": ("GET", (403, 403, 403, 403, 403)),
    "api_demands.get_demand": ("GET", (200, 200, 200, 200, 200)),
    "api_demands.list_demands": ("GET", (200, 200, 200, 200, 200)),
    "api_events.event_demands": ("GET", (200, 200, 200, 200, 200)),
    "api_events.get_event": ("GET", (200, 200, 200, 200, 200)),
    "api_events.list_events": ("GET", (200, 200, 200, 200, 200)),
    "api_listings.create_case": ("POST", (401, 401, 401, 401, 401)),
    "api_listings.create_product": ("POST", (401, 401, 401, 401, 401)),
    "api_listings.create_solution": ("POST", (401, 401, 401, 401, 401)),
    "api_listings.get_case": ("GET", (404, 404, 404, 404, 404)),
    "api_listings.get_product": ("GET", (404, 404, 404, 404, 404)),
    "api_listings.get_solution": ("GET", (200, 200, 200, 200, 200)),
    "api_listings.list_cases": ("GET", (200, 200, 200, 200, 200)),
    "api_listings.list_products": ("GET", (200, 200, 200, 200, 200)),
    "api_listings.list_solutions": ("GET", (200, 200, 200, 200, 200)),
    "api_listings.update_case": ("PATCH", (401, 401, 401, 401, 401)),
    "api_listings.update_product": ("PATCH", (401, 401, 401, 401, 401)),
    "api_listings.update_solution": ("PATCH", (401, 401, 401, 401, 401)),
    "api_match.match": ("POST", (415, 415, 415, 415, 415)),
    "api_me.me": ("GET", (401, 401, 401, 401, 401)),
    "api_organizations.get_organization": ("GET", (200, 200, 200, 200, 200)),
    "api_organizations.list_organizations": ("GET", (200, 200, 200, 200, 200)),
    "api_pages.create_token": ("POST", (302, 400, 400, 400, 400)),
    "api_pages.docs": ("GET", (200, 200, 200, 200, 200)),
    "api_pages.docs_init": ("GET", (200, 200, 200, 200, 200)),
    "api_pages.docs_spec": ("GET", (200, 200, 200, 200, 200)),
    "api_pages.revoke_token": ("POST", (302, 303, 303, 303, 303)),
    "api_pages.token_list": ("GET", (302, 200, 200, 200, 200)),
    "api_taxonomy.industries": ("GET", (200, 200, 200, 200, 200)),
    "api_taxonomy.regions": ("GET", (200, 200, 200, 200, 200)),
    "api_taxonomy.scenario": ("GET", (200, 200, 200, 200, 200)),
    "api_taxonomy.scenarios": ("GET", (200, 200, 200, 200, 200)),
    "api_taxonomy.taxonomy_scenarios": ("GET", (200, 200, 200, 200, 200)),
    "api_taxonomy.technologies": ("GET", (200, 200, 200, 200, 200)),
    "catalog.count_view": ("POST", (204, 204, 204, 204, 204)),
    "catalog.export": ("GET", (200, 200, 200, 200, 200)),
    "catalog.listing": ("GET", (200, 200, 200, 200, 200)),
    "catalog.listings": ("GET", (200, 200, 200, 200, 200)),
    "challenges.add_pitch": ("POST", (302, 403, 403, 400, 400)),
    "challenges.add_proposal_pitches": ("POST", (302, 403, 403, 302, 302)),
    "challenges.assign_expert": ("POST", (302, 403, 403, 400, 400)),
    "challenges.decide": ("POST", (302, 403, 403, 400, 400)),
    "challenges.enter": ("POST", (302, 302, 302, 302, 302)),
    "challenges.expert_list": ("GET", (302, 403, 403, 200, 200)),
    "challenges.invite_expert": ("POST", (302, 403, 403, 403, 403)),
    "challenges.live": ("GET", (302, 403, 403, 200, 200)),
    "challenges.live_json": ("GET", (302, 403, 403, 200, 200)),
    "challenges.manage": ("GET", (302, 403, 403, 200, 200)),
    "challenges.mark_winner": ("POST", (302, 403, 403, 400, 400)),
    "challenges.pitch_order": ("GET", (302, 403, 403, 200, 200)),
    "challenges.publish_results": ("POST", (302, 403, 403, 302, 302)),
    "challenges.publish_shortlist": ("POST", (302, 403, 403, 302, 302)),
    "challenges.remove_expert": ("POST", (302, 403, 403, 302, 302)),
    # The moderator removed the pitch, so it is gone for the admin (an id not of the event: 403).
    "challenges.remove_pitch": ("POST", (302, 403, 403, 302, 403)),
    "challenges.round_page": ("GET", (200, 200, 200, 200, 200)),
    "challenges.save_order": ("POST", (302, 403, 403, 302, 302)),
    "challenges.score": ("GET", (302, 403, 403, 403, 403)),
    "challenges.score_list": ("GET", (302, 403, 403, 403, 403)),
    "challenges.screen": ("GET", (302, 403, 403, 403, 403)),
    "challenges.screening_list": ("GET", (302, 403, 403, 403, 403)),
    "challenges.withdraw": ("POST", (302, 302, 403, 403, 403)),
    "demands.add_attachment": ("POST", (302, 302, 403, 403, 403)),
    "demands.attachment": ("GET", (404, 404, 404, 404, 404)),
    "demands.change": ("POST", (302, 302, 403, 403, 403)),
    "demands.create": ("GET", (302, 200, 403, 403, 403)),
    "demands.detail": ("GET", (200, 200, 200, 200, 200)),
    "demands.edit": ("GET", (302, 200, 403, 403, 403)),
    "demands.facet_suggestions": ("POST", (302, 200, 403, 403, 403)),
    "demands.index": ("GET", (200, 200, 200, 200, 200)),
    "demands.mine": ("GET", (302, 200, 403, 403, 403)),
    "demands.preview": ("POST", (302, 200, 403, 403, 403)),
    "demands.remove_attachment": ("POST", (302, 404, 403, 403, 403)),
    "demands.submit": ("POST", (302, 302, 403, 403, 403)),
    "dev.mailbox": ("GET", (404, 404, 404, 404, 404)),
    "dev.message": ("GET", (404, 404, 404, 404, 404)),
    "dev.message_html": ("GET", (404, 404, 404, 404, 404)),
    "enquiries.accept": ("POST", (302, 403, 302, 404, 404)),
    "enquiries.decline": ("POST", (302, 403, 302, 404, 404)),
    "enquiries.detail": ("GET", (302, 200, 200, 404, 404)),
    "enquiries.dismiss": ("POST", (302, 403, 403, 404, 404)),
    "enquiries.index": ("GET", (302, 200, 200, 403, 403)),
    "enquiries.message": ("POST", (302, 422, 422, 404, 404)),
    "enquiries.new_for_listing": ("GET", (302, 200, 403, 403, 403)),
    "enquiries.new_for_organization": ("GET", (302, 200, 403, 403, 403)),
    "enquiries.read": ("POST", (302, 204, 204, 404, 404)),
    "enquiries.report": ("GET", (302, 403, 200, 404, 404)),
    "enquiries.reports": ("GET", (302, 403, 403, 200, 200)),
    "enquiries.uphold": ("POST", (302, 403, 403, 404, 404)),
    "events.calendar_file": ("GET", (200, 200, 200, 200, 200)),
    "events.cancel": ("POST", (302, 403, 403, 302, 302)),
    "events.decide": ("POST", (302, 403, 403, 302, 302)),
    "events.detail": ("GET", (200, 200, 200, 200, 200)),
    "events.edit": ("GET", (302, 403, 403, 200, 200)),
    "events.index": ("GET", (200, 200, 200, 200, 200)),
    "events.new": ("GET", (302, 403, 403, 200, 200)),
    "events.participants": ("GET", (302, 200, 200, 200, 200)),
    "events.publish": ("POST", (302, 403, 403, 302, 302)),
    "events.register": ("GET", (302, 200, 200, 403, 403)),
    "events.registrations": ("GET", (302, 403, 403, 200, 200)),
    "events.withdraw": ("POST", (302, 302, 302, 403, 403)),
    "help.trl": ("GET", (200, 200, 200, 200, 200)),
    "home.index": ("GET", (200, 200, 200, 200, 200)),
    "legal.privacy": ("GET", (200, 200, 200, 200, 200)),
    "legal.terms": ("GET", (200, 200, 200, 200, 200)),
    "listings.add_image": ("POST", (302, 403, 302, 403, 403)),
    "listings.change": ("POST", (302, 403, 302, 403, 403)),
    "listings.confirm_import": ("POST", (302, 403, 302, 403, 403)),
    "listings.create": ("GET", (302, 403, 200, 403, 403)),
    "listings.edit": ("GET", (302, 403, 200, 403, 403)),
    "listings.export": ("GET", (302, 403, 200, 403, 403)),
    "listings.image": ("GET", (404, 404, 404, 404, 404)),
    "listings.import_file": ("GET", (302, 403, 200, 403, 403)),
    "listings.import_job": ("GET", (302, 403, 404, 403, 403)),
    "listings.import_progress": ("GET", (302, 403, 404, 403, 403)),
    "listings.import_template": ("GET", (302, 403, 200, 403, 403)),
    "listings.index": ("GET", (302, 403, 200, 403, 403)),
    "listings.remove_image": ("POST", (302, 403, 404, 403, 403)),
    "meetings.act": ("POST", (404, 404, 404, 404, 404)),  # the action "withdraw" is not one of its own
    "meetings.agenda": ("GET", (302, 200, 200, 403, 403)),
    "meetings.agenda_email": ("POST", (302, 302, 302, 403, 403)),
    "meetings.agenda_ics": ("GET", (302, 200, 200, 403, 403)),
    "meetings.counterparts": ("GET", (302, 200, 200, 403, 403)),
    "meetings.grid": ("GET", (302, 403, 403, 200, 200)),
    "meetings.move": ("POST", (302, 403, 403, 302, 302)),
    "meetings.outcome": ("GET", (302, 200, 200, 403, 403)),
    "meetings.request_meeting": ("POST", (302, 302, 302, 403, 403)),
    "meetings.slots_page": ("GET", (302, 403, 403, 200, 200)),
    "moderation.approve": ("POST", (302, 403, 403, 302, 302)),
    "moderation.audit": ("GET", (302, 403, 403, 200, 200)),
    "moderation.decide_file": ("POST", (302, 403, 403, 404, 404)),
    "moderation.organizations": ("GET", (302, 403, 403, 200, 200)),
    "moderation.queue": ("GET", (302, 403, 403, 200, 200)),
    "moderation.reject": ("POST", (302, 403, 403, 400, 400)),
    "moderation.review": ("GET", (302, 403, 403, 200, 200)),
    "moderation.verification": ("POST", (302, 403, 403, 400, 400)),
    "notifications.delete_search": ("POST", (302, 404, 404, 404, 404)),
    "notifications.failed_emails": ("GET", (302, 403, 403, 403, 200)),
    "notifications.feedback": ("POST", (400, 400, 400, 400, 400)),
    "notifications.feedback_confirm": ("GET", (400, 400, 400, 400, 400)),
    "notifications.open_link": ("GET", (400, 400, 400, 400, 400)),
    "notifications.preferences": ("GET", (302, 200, 200, 200, 200)),
    "notifications.requeue_failed": ("POST", (302, 403, 403, 403, 302)),
    "notifications.save_search": ("POST", (302, 400, 400, 400, 400)),
    "notifications.unsubscribe": ("POST", (400, 400, 400, 400, 400)),
    "notifications.unsubscribe_confirm": ("GET", (400, 400, 400, 400, 400)),
    "organizations.detail": ("GET", (200, 200, 200, 200, 200)),
    "organizations.index": ("GET", (200, 200, 200, 200, 200)),
    "proposals.access": ("GET", (302, 403, 403, 403, 403)),
    "proposals.agree": ("GET", (302, 403, 403, 404, 404)),
    "proposals.attachment": ("GET", (302, 404, 404, 404, 404)),
    "proposals.confidential": ("GET", (302, 403, 403, 403, 403)),
    "proposals.decide_access": ("POST", (302, 404, 404, 404, 404)),
    "proposals.decline": ("GET", (302, 200, 403, 404, 404)),
    "proposals.detail": ("GET", (302, 200, 200, 404, 404)),
    "proposals.edit": ("GET", (302, 403, 200, 404, 404)),
    "proposals.for_demand": ("GET", (302, 200, 403, 403, 403)),
    "proposals.message": ("POST", (302, 422, 422, 404, 404)),
    "proposals.mine": ("GET", (302, 403, 200, 403, 403)),
    "proposals.new": ("GET", (302, 403, 302, 403, 403)),
    "proposals.remove_attachment": ("POST", (302, 403, 302, 404, 404)),
    "proposals.request_access": ("GET", (302, 403, 403, 403, 403)),
    "proposals.shortlist": ("POST", (302, 302, 403, 404, 404)),
    "proposals.terms": ("GET", (302, 403, 403, 403, 403)),
    "proposals.withdraw": ("POST", (302, 403, 302, 404, 404)),
    "recommendations.demands": ("GET", (302, 403, 200, 403, 403)),
    "recommendations.dismiss": ("POST", (302, 400, 400, 400, 400)),
    "scenarios.add_entry": ("POST", (302, 403, 403, 400, 400)),
    "scenarios.detail": ("GET", (200, 200, 200, 200, 200)),
    "scenarios.index": ("GET", (200, 200, 200, 200, 200)),
    "scenarios.remove_entry": ("POST", (302, 403, 403, 404, 404)),
    "scenarios.typical": ("GET", (200, 200, 200, 200, 200)),
    "scenarios.typical_latest": ("GET", (302, 302, 302, 302, 302)),
    "search.index": ("GET", (200, 200, 200, 200, 200)),
    "stats.chart_csv_file": ("GET", (200, 200, 200, 200, 200)),
    "stats.chart_data": ("GET", (200, 200, 200, 200, 200)),
    "stats.index": ("GET", (200, 200, 200, 200, 200)),
    "workbench.index": ("GET", (302, 200, 200, 200, 200)),
}

SKIPPED = {"static"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule, ("GET" if "GET" in methods else methods[0])


@pytest.fixture
def fresh_world(app, create_user, create_organization, create_listing, create_demand):
    """A new database with the same objects: a POST that succeeds (a withdrawal, an
    approval) must not change what the next route sees."""

    def build():
        from flask import current_app

        from catalog_app.taxonomy.services import load_taxonomy

        db.session.remove()
        db.drop_all()
        db.create_all()
        load_taxonomy()
        for live in current_app.extensions["matching"].values():
            live.reset()
        return build_world(create_user, create_organization, create_listing, create_demand)

    return build


def _client(app, world, role):
    """A fresh client per request: a route such as /logout must not change the next one."""
    client = app.test_client()
    if role != "anonymous":
        login_as(client, world.users[role])
    return client


def _request(client, method, path) -> int:
    response = client.open(path, method=method, data={} if method != "GET" else None)
    db.session.rollback()  # a refused POST must leave nothing behind for the next request
    return response.status_code


def test_every_route_is_in_the_matrix(app):
    missing = sorted(rule.endpoint for rule, _method in _rules(app) if rule.endpoint not in MATRIX)
    assert missing == [], "add these routes to MATRIX with the status each visitor should get"


def test_routes_answer_each_role_as_the_matrix_says(app, fresh_world):
    writes = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    app.config["API_RATE_LIMIT_ENABLED"] = False  # hundreds of requests from one address
    observed = {}
    world, changed = None, True
    for rule, method in sorted(_rules(app), key=lambda item: item[0].rule):
        # A POST may change what later routes see (a cancelled event, a withdrawn
        # registration): the world is rebuilt for it and for the route after it.
        if changed or method != "GET":
            world = fresh_world()
        changed = method != "GET"
        path = url_for_rule(rule, world.values)
        statuses = []
        for role in ROLES:
            client = _client(app, world, role)
            if method == "GET":
                sa.event.listen(db.engine, "before_cursor_execute", record)
            try:
                statuses.append(_request(client, method, path))
            finally:
                if method == "GET":
                    sa.event.remove(db.engine, "before_cursor_execute", record)
            assert not (method == "GET" and writes), f"GET {path} as {role} wrote: {writes[:2]}"
        observed[rule.endpoint] = (method, tuple(statuses))
    if os.environ.get("MATRIX_PRINT"):
        for endpoint, (method, statuses) in sorted(observed.items()):
            print(f'    "{endpoint}": ("{method}", {statuses}),')
    assert all(status < 500 for _method, statuses in observed.values() for status in statuses)
    assert observed == {endpoint: MATRIX[endpoint] for endpoint in observed}
