"""Signed links from the emails: feedback, tracked opens, unsubscribe (RFC 8058); forged or expired refused."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import Frequency, Match, MatchFeedback, MatchStatus, NotificationPreference, Verdict
from catalog_app.notifications.links import FEEDBACK, OPEN, UNSUBSCRIBE, make_token
from catalog_app.notifications.preferences import DEMAND_MATCHES, frequency_for, set_frequency
from tests.notifications.recommendation_fixtures import market, outbox, publish  # noqa: F401  (fixtures)

TOKEN_IN_URL = re.compile(r"/notifications/(feedback|open|unsubscribe)/([A-Za-z0-9_.\-]+)")


@pytest.fixture
def published(market, publish):
    publish(market.demand, market.owner, market.moderator)
    return market


def match_of(market) -> Match:
    return db.session.scalar(sa.select(Match).where(Match.demand_id == market.demand.id,
                                                    Match.listing_id == market.good.id))


def test_interested_link_shows_a_confirmation_then_records_once_and_tells_the_enterprise(published, client):
    match = match_of(published)
    token = make_token(FEEDBACK, [match.id, published.vision_a.id, "interested"])
    page = client.get(f"/notifications/feedback/{token}")
    assert page.status_code == 200 and b'method="post"' in page.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchFeedback)) == 0  # GET changes nothing

    for _ in range(2):  # a double click
        assert client.post(f"/notifications/feedback/{token}").status_code == 200
    rows = db.session.scalars(sa.select(MatchFeedback)).all()
    assert [(r.demand_id, r.listing_id, r.user_id, r.verdict) for r in rows] == [
        (published.demand.id, published.good.id, published.vision_a.id, Verdict.INTERESTED)]
    db.session.refresh(match)
    assert match.status is MatchStatus.CONTACTED
    interest = outbox("recommendations_interest")
    assert [e.recipient for e in interest] == [published.owner.email]
    assert published.vision_a.email in interest[0].body_text and "感兴趣" in interest[0].subject


def test_not_relevant_dismisses_the_match_for_good(published, client):
    from catalog_app.recommendations.services import recommend_listings

    match = match_of(published)
    token = make_token(FEEDBACK, [match.id, published.vision_a.id, "not_relevant"])
    assert client.post(f"/notifications/feedback/{token}").status_code == 200
    db.session.refresh(match)
    assert match.status is MatchStatus.DISMISSED
    assert published.good.id not in [r.item.id for r in recommend_listings(published.demand)]
    assert db.session.scalar(sa.select(MatchFeedback.verdict)) is Verdict.NOT_RELEVANT


def test_links_in_the_email_are_the_working_ones(published, client):
    row = next(e for e in outbox("recommendations_demand") if e.recipient == published.vision_a.email)
    paths = {kind: [] for kind in ("feedback", "open", "unsubscribe")}
    for found in TOKEN_IN_URL.finditer(row.body_text):
        paths[found.group(1)].append(found.group(0))
    assert paths["feedback"] and paths["open"] and paths["unsubscribe"]
    assert all(client.get(path).status_code == 200 for path in paths["feedback"])
    opened = client.get(paths["open"][0])
    assert opened.status_code == 302 and f"/demands/{published.demand.id}" in opened.headers["Location"]
    assert match_of(published).status is MatchStatus.VIEWED


@pytest.mark.parametrize("case", ["forged", "expired", "other_purpose", "wrong_user", "bad_verdict"])
def test_bad_feedback_tokens_are_refused_and_change_nothing(published, client, app, case):
    match = match_of(published)
    token = make_token(FEEDBACK, [match.id, published.vision_a.id, "not_relevant"])
    if case == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif case == "expired":
        app.config["NOTIFICATIONS_LINK_MAX_AGE"] = -1
    elif case == "other_purpose":
        token = make_token(UNSUBSCRIBE, [match.id, published.vision_a.id, "not_relevant"])
    elif case == "wrong_user":  # the AGV supplier is in neither organization of the pair
        token = make_token(FEEDBACK, [match.id, published.agv.id, "not_relevant"])
    elif case == "bad_verdict":
        token = make_token(FEEDBACK, [match.id, published.vision_a.id, "delete_everything"])
    assert client.get(f"/notifications/feedback/{token}").status_code == 400
    assert client.post(f"/notifications/feedback/{token}").status_code == 400
    assert client.get(f"/notifications/open/{make_token(OPEN, [match.id, published.agv.id, 'demand'])}").status_code == 400
    db.session.refresh(match)
    assert match.status is MatchStatus.SUGGESTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchFeedback)) == 0
    assert outbox("recommendations_interest") == []


def test_feedback_post_needs_the_csrf_token(published, client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    match = match_of(published)
    token = make_token(FEEDBACK, [match.id, published.vision_a.id, "not_relevant"])
    assert client.post(f"/notifications/feedback/{token}").status_code == 400
    page = client.get(f"/notifications/feedback/{token}").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert client.post(f"/notifications/feedback/{token}", data={"csrf_token": csrf_token.group(1)}).status_code == 200
    db.session.refresh(match)
    assert match.status is MatchStatus.DISMISSED


def test_one_click_unsubscribe_without_csrf_or_login(published, client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    user = published.vision_a
    token = make_token(UNSUBSCRIBE, [user.id, DEMAND_MATCHES])
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 200
    assert frequency_for(user, DEMAND_MATCHES) is Frequency.IMMEDIATE  # GET changes nothing
    response = client.post(f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert frequency_for(user, DEMAND_MATCHES) is Frequency.OFF
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 200  # idempotent


@pytest.mark.parametrize("case", ["forged", "expired", "feedback_token", "unknown_kind"])
def test_bad_unsubscribe_tokens_are_refused(published, client, app, case):
    user = published.vision_a
    token = make_token(UNSUBSCRIBE, [user.id, DEMAND_MATCHES])
    if case == "forged":
        token = make_token(UNSUBSCRIBE, [published.vision_b.id, DEMAND_MATCHES]).split(".")[0] + "." + token.split(".", 1)[1]
    elif case == "expired":
        app.config["NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE"] = -1
    elif case == "feedback_token":
        token = make_token(FEEDBACK, [user.id, DEMAND_MATCHES])
    elif case == "unknown_kind":
        token = make_token(UNSUBSCRIBE, [user.id, "everything"])
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 400
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationPreference)) == 0


def test_digest_unsubscribe_turns_off_every_digest_kind(published, client):
    from catalog_app.notifications.preferences import SAVED_SEARCHES, STRONG_MATCHES

    owner = published.owner
    set_frequency(owner, STRONG_MATCHES, Frequency.DAILY)  # immediate by default: a digest kind by choice
    db.session.commit()
    token = make_token(UNSUBSCRIBE, [owner.id, "digest"])
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 200
    assert frequency_for(owner, STRONG_MATCHES) is Frequency.OFF
    assert frequency_for(owner, SAVED_SEARCHES) is Frequency.OFF
    assert frequency_for(owner, DEMAND_MATCHES) is Frequency.IMMEDIATE


def test_export_feedback_writes_qrels(published, client, runner, tmp_path: Path):
    for user, listing, verdict in ((published.vision_a, published.good, "interested"),
                                   (published.camera, published.second, "not_relevant")):
        match = db.session.scalar(sa.select(Match).where(Match.demand_id == published.demand.id,
                                                         Match.listing_id == listing.id))
        client.post(f"/notifications/feedback/{make_token(FEEDBACK, [match.id, user.id, verdict])}")
    out = tmp_path / "feedback.tsv"
    result = runner.invoke(args=["emails", "export-feedback", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "query_id\tdoc_id\trelevance"
    assert sorted(lines[1:]) == sorted([f"{published.demand.id}\t{published.good.id}\t1",
                                        f"{published.demand.id}\t{published.second.id}\t0"])
