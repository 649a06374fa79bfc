import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from catalog_app.extensions import db

matching_cli = AppGroup("matching", help="The matching indexes and stored matches.")


@matching_cli.command("rebuild")
def rebuild_command() -> None:
    """Build the listing and demand indexes and save snapshots for the workers to load."""
    from catalog_app.recommendations.services import live_index

    for name in ("listings", "demands", "organizations"):
        started = time.perf_counter()
        count = live_index(name).rebuild()
        click.echo(f"{name}: {count} documents indexed in {time.perf_counter() - started:.1f} s")


@matching_cli.command("store")
@click.option("--top", default=10, show_default=True, help="Matches stored per demand.")
def store_command(top: int) -> None:
    """Store the current recommendations of every open demand as Match rows."""
    from catalog_app.models import Demand
    from catalog_app.recommendations.documents import open_demand_condition
    from catalog_app.recommendations.services import store_matches

    demands = db.session.scalars(sa.select(Demand).where(open_demand_condition())).all()
    with click.progressbar(demands, label="storing matches") as bar:
        for demand in bar:
            store_matches(demand, top=top)
    db.session.commit()
    click.echo(f"stored matches for {len(demands)} demands")
