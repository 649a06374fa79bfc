"""Publishing a demand emails the matching suppliers' members once; preferences and digests route it."""
from __future__ import annotations

import email
from datetime import date, timedelta

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import DigestEntry, Frequency, Match, OutboxStatus
from catalog_app.publishing.digests import send_digests
from catalog_app.notifications.outbox import Dispatcher
from catalog_app.notifications.preferences import DEMAND_MATCHES, set_frequency
from catalog_app.publishing.approval import announce_demand
from tests.notifications.conftest import smtp_sink  # noqa: F401  (fixture)
from tests.notifications.recommendation_fixtures import market, outbox, publish  # noqa: F401  (fixtures)


def test_publishing_emails_each_member_of_each_matching_supplier_once(market, publish):
    publish(market.demand, market.owner, market.moderator)

    emails = outbox("recommendations_demand")
    assert sorted(e.recipient for e in emails) == sorted(
        [market.vision_a.email, market.vision_b.email, market.camera.email])
    assert market.agv.email not in {e.recipient for e in outbox()}
    assert {e.idempotency_key for e in emails} == {
        f"demand-published:{market.demand.id}:{u.id}" for u in (market.vision_a, market.vision_b, market.camera)}
    by_recipient = {e.recipient: e for e in emails}
    chinese, english = by_recipient[market.vision_a.email], by_recipient[market.vision_b.email]
    assert "新需求" in chinese.subject and market.good.title in chinese.body_text and "匹配原因" in chinese.body_text
    assert english.subject.startswith("New demand matching your listings")
    assert "Interested:" in english.body_text and "/notifications/feedback/" in english.body_html
    assert chinese.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = chinese.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/notifications/unsubscribe/" in unsubscribe
    # The matches are stored in the same transaction.
    stored = {m.listing_id for m in db.session.scalars(sa.select(Match).where(Match.demand_id == market.demand.id))}
    assert {market.good.id, market.second.id} <= stored


def test_republishing_and_rerunning_queue_nothing_new(market, publish):
    publish(market.demand, market.owner, market.moderator)
    first = len(outbox())
    publish(market.demand, market.owner, market.moderator)  # an edit approved again
    announce_demand(market.demand)                        # a rerun of the matching
    db.session.commit()
    assert len(outbox("recommendations_demand")) == 3
    assert len(outbox()) == first + 1  # only the owner's second "published" notice


def test_preference_off_sends_nothing_and_digest_sends_once(market, publish):
    set_frequency(market.vision_a, DEMAND_MATCHES, Frequency.OFF)
    set_frequency(market.camera, DEMAND_MATCHES, Frequency.DAILY)
    db.session.commit()
    publish(market.demand, market.owner, market.moderator)

    recipients = {e.recipient for e in outbox("recommendations_demand")}
    assert recipients == {market.vision_b.email}
    entries = db.session.scalars(sa.select(DigestEntry).where(DigestEntry.user_id == market.camera.id)).all()
    assert [e.match.listing_id for e in entries] == [market.second.id]

    today = date(2026, 3, 2)
    send_digests(Frequency.DAILY, today)
    digests = outbox("digest_email")
    assert [d.recipient for d in digests] == [market.camera.email]
    assert digests[0].idempotency_key == f"digest:{market.camera.id}:daily:{today.isoformat()}"
    assert market.second.title in digests[0].body_text and market.demand.title in digests[0].body_html

    # Never again: not the same day, not the next day, not after republishing.
    send_digests(Frequency.DAILY, today)
    send_digests(Frequency.DAILY, today + timedelta(days=1))
    publish(market.demand, market.owner, market.moderator)
    send_digests(Frequency.DAILY, today + timedelta(days=2))
    assert len(outbox("digest_email")) == 1
    assert not any(e.recipient == market.vision_a.email for e in outbox("recommendations_demand"))


def test_weekly_digest_waits_for_the_weekly_run(market, publish):
    set_frequency(market.camera, DEMAND_MATCHES, Frequency.WEEKLY)
    db.session.commit()
    publish(market.demand, market.owner, market.moderator)
    send_digests(Frequency.DAILY, date(2026, 3, 2))
    assert outbox("digest_email") == []
    send_digests(Frequency.WEEKLY, date(2026, 3, 2))
    assert [d.recipient for d in outbox("digest_email")] == [market.camera.email]


def test_a_failing_matching_engine_does_not_block_publication(market, publish, monkeypatch):
    from catalog_app.recommendations import services as recommendations

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(recommendations, "store_matches", broken)
    publish(market.demand, market.owner, market.moderator)
    assert market.demand.status.value == "published"
    assert outbox("recommendations_demand") == []
    assert len(outbox("moderation_approved")) == 1


def test_recommendation_email_reaches_the_smtp_sink(market, publish, smtp_sink, app):  # noqa: F811
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    publish(market.demand, market.owner, market.moderator)
    report = Dispatcher().dispatch_due()
    assert report.failed == 0
    raw = {m["rcpt_tos"][0]: m["raw"] for m in smtp_sink.messages}
    message = email.message_from_bytes(raw[market.vision_a.email])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "".join(message["List-Unsubscribe"].split()).startswith("<http://localhost")
    assert market.agv.email not in raw
    assert all(row.status is OutboxStatus.SENT for row in outbox("recommendations_demand"))
