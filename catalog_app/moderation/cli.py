"""`flask moderation ...`: operator commands for the review queue."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from catalog_app.moderation import services

moderation_cli = AppGroup("moderation", help="Operate the review queue.")


@moderation_cli.command("repair")
def repair() -> None:
    """Give every listing or demand waiting for review without a revision its snapshot.

    Safe to run again: a second run finds nothing. Decisions work on such rows even
    unrepaired; the repair gives the review page and the history their revision.
    """
    repaired = services.repair_pending_without_revision()
    for type_name, object_id in repaired:
        click.echo(f"repaired {type_name} {object_id}")
    click.echo(f"{len(repaired)} pending rows without a revision repaired.")


@moderation_cli.command("counts")
def counts() -> None:
    """Print what waits in the review queue, by type (the numbers the queue page shows)."""
    for name, count in services.queue_counts().items():
        click.echo(f"{name}: {count}")
