"""`flask meetings follow-up`: after an event, ask both sides of each held meeting for the
outcome (cron it, or run it by hand after the event; running it twice asks nobody twice)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from catalog_app.meetings.services import queue_follow_ups

meetings_cli = AppGroup("meetings", help="1:1 meetings at events.")


@meetings_cli.command("follow-up")
def follow_up_command() -> None:
    """Queue the outcome question for held meetings of ended events (idempotent)."""
    queued = queue_follow_ups()
    click.echo(f"{queued} follow-up e-mail(s) queued.")
