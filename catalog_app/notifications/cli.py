"""`flask emails ...`: run the outbox dispatcher and look after the outbox by hand."""
from __future__ import annotations

import signal
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

emails_cli = AppGroup("emails", help="The email outbox and the emails built on it: dispatch, status, requeue, preview, digests.")


@emails_cli.command("dispatch")
@click.option("--watch", is_flag=True, help="Keep polling instead of draining once.")
@click.option("--interval", type=float, default=None,
              help="Seconds between polls with --watch (default: OUTBOX_DISPATCH_INTERVAL_SECONDS).")
@click.option("--limit", type=int, default=None, help="Claim at most this many messages (one drain).")
def dispatch_command(watch: bool, interval: float | None, limit: int | None) -> None:
    """Send due outbox messages over SMTP (MAIL_SERVER, MAIL_PORT)."""
    from catalog_app.notifications.outbox import Dispatcher, watch as watch_loop

    if interval is None:
        interval = float(current_app.config["OUTBOX_DISPATCH_INTERVAL_SECONDS"])
    dispatcher = Dispatcher()
    if not watch:
        _echo_report(dispatcher.dispatch_due(max_messages=limit))
        return
    stop = {"requested": False}

    def request_stop(_signum, _frame):
        stop["requested"] = True

    signal.signal(signal.SIGTERM, request_stop)
    click.echo(f"dispatcher {dispatcher.owner}: polling every {interval:g}s (Ctrl-C or SIGTERM stops)")
    try:
        watch_loop(dispatcher, interval, on_report=lambda r: r.claimed and _echo_report(r),
                   should_stop=lambda: stop["requested"])
    except KeyboardInterrupt:
        pass


@emails_cli.command("work")
@click.option("--once", is_flag=True, help="One tick (scan and drain), then exit.")
def work_command(once: bool) -> None:
    """The embedded worker: announce new listings to enterprises and send the outbox, no broker.

    `make run` starts it beside the web server. Intervals: OUTBOX_DISPATCH_INTERVAL_SECONDS,
    LISTING_LEADS_SCAN_SECONDS; delivery: MAIL_TRANSPORT (smtp, or mailbox for /dev/mailbox).
    """
    from catalog_app.publishing.worker import Worker, delivery_bound_seconds

    config = current_app.config
    worker = Worker()
    if once:
        _echo_tick(worker.tick())
        return
    signal.signal(signal.SIGTERM, lambda _signum, _frame: worker.stop())
    click.echo(f"e-mail worker {worker.dispatcher.owner}: outbox every {worker.interval:g}s, new listings every "
               f"{worker.scan_every:g}s (a lead leaves within {delivery_bound_seconds(config):g}s), "
               f"transport {config['MAIL_TRANSPORT']}; Ctrl-C or SIGTERM stops")
    try:
        worker.run(on_report=_echo_tick)
    except KeyboardInterrupt:
        pass
    finally:
        worker.dispatcher.close()


def _echo_tick(report) -> None:
    if report.leads is not None and (report.leads.emails or report.leads.digest_items):
        click.echo(f"new listings: emails={report.leads.emails} digest_items={report.leads.digest_items}")
    if report.dispatch.claimed:
        _echo_report(report.dispatch)
    for error in report.errors:
        click.echo(f"  error: {error}", err=True)


@emails_cli.command("status")
def status_command() -> None:
    """Count outbox messages by status."""
    from catalog_app.notifications.outbox import status_counts

    for status, count in status_counts().items():
        click.echo(f"{status:8} {count}")


@emails_cli.command("requeue")
@click.option("--id", "ids", type=int, multiple=True, help="A failed message id (repeatable).")
@click.option("--all-failed", is_flag=True, help="Every failed message.")
def requeue_command(ids: tuple[int, ...], all_failed: bool) -> None:
    """Give failed messages a new attempt budget and send them with the next dispatch."""
    from catalog_app.notifications.outbox import requeue

    if not ids and not all_failed:
        raise click.UsageError("give --id N (repeatable) or --all-failed")
    click.echo(f"requeued {requeue(ids, all_failed=all_failed)} message(s)")


@emails_cli.command("preview")
@click.argument("kind")
@click.option("--locale", default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the HTML part here.")
def preview_command(kind: str, locale: str, out: Path | None) -> None:
    """Render a sample of KIND (a template under templates/emails/) without queuing it."""
    from catalog_app.notifications.previews import available_kinds, render_preview

    if kind not in available_kinds():
        raise click.BadParameter(f"unknown kind; available: {', '.join(available_kinds())}", param_hint="KIND")
    try:
        text, html = render_preview(kind, locale)
    except Exception as exc:  # noqa: BLE001 - a template needing real objects
        raise click.ClickException(
            f"{kind} needs a sample context ({exc}); add one with "
            "catalog_app.notifications.previews.register_preview") from exc
    if out:
        out.write_text(html or f"<pre>{text}</pre>", encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text)


@emails_cli.command("send-test")
@click.argument("recipient")
@click.option("--locale", default="zh", show_default=True)
def send_test_command(recipient: str, locale: str) -> None:
    """Queue a test email to RECIPIENT (then run `flask emails dispatch`)."""
    from catalog_app.extensions import db
    from catalog_app.models._types import utcnow
    from catalog_app.email_queue import send_email

    row = send_email(recipient, "Scenario Catalog test email", "outbox_test", locale,
                     queued_at=utcnow().isoformat(timespec="seconds"), note="")
    db.session.commit()
    click.echo(f"queued message {row.id} {row.message_id} via {current_app.config['MAIL_SERVER']}")


@emails_cli.command("digests")
@click.option("--period", type=click.Choice(["daily", "weekly"]), required=True)
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The digest date (default: today, UTC); part of the idempotency key.")
def digests_command(period: str, day) -> None:
    """Queue the daily or weekly digests: new matches and saved-search results, each sent once."""
    from catalog_app.models import Frequency
    from catalog_app.publishing.digests import send_digests

    report = send_digests(Frequency(period), day.date() if day else None)
    click.echo(f"{period} digests: emails={report.emails} items={report.items} "
               f"deferred_users={report.deferred_users}")


@emails_cli.command("strong-matches")
def strong_matches_command() -> None:
    """Tell enterprises about newly published listings that match their open demands strongly."""
    from catalog_app.publishing.leads import queue_strong_matches

    report = queue_strong_matches()
    click.echo(f"strong matches: emails={report.emails} digest_items={report.digest_items} "
               f"skipped_off={report.skipped_off}")


@emails_cli.command("export-feedback")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_feedback_command(out: Path) -> None:
    """Write the interested / not relevant verdicts as qrels (query_id doc_id relevance) for the bench."""
    from catalog_app.notifications.feedback import export_feedback

    click.echo(f"wrote {export_feedback(out)} judgements to {out}")


def _echo_report(report) -> None:
    click.echo(f"claimed={report.claimed} sent={report.sent} retried={report.retried} "
               f"failed={report.failed} deferred={report.deferred}")
    for error in dict.fromkeys(report.errors):  # unique, in order
        click.echo(f"  error: {error}", err=True)
