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
    from catalog_app.visibility import open_demand_condition
    from catalog_app.recommendations.services import store_matches

    demands = db.session.scalars(sa.select(Demand).where(open_demand_condition())).all()
    with click.progressbar(demands, label="storing matches") as bar:
        for demand in bar:
            store_matches(demand, top=top)
    db.session.commit()
    click.echo(f"stored matches for {len(demands)} demands")


@matching_cli.command("tune")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the weights (default: the MATCHING_WEIGHTS_PATH setting).")
@click.option("--holdout-every", type=click.IntRange(2, 100), default=4, show_default=True,
              help="Every n-th labelled demand is held out to check the fit.")
@click.option("--depth", type=click.IntRange(10, 5000), default=200, show_default=True,
              help="Results per demand searched for its labelled listings.")
@click.option("--min-labels", type=click.IntRange(2, None), default=30, show_default=True,
              help="Fewer usable labelled pairs than this is too few to fit.")
@click.option("--dry-run", is_flag=True, help="Fit and check, but write nothing.")
def tune_command(output: str | None, holdout_every: int, depth: int, min_labels: int, dry_run: bool) -> None:
    """Fit the ranking weights on feedback (interested / not relevant, dismissals, shortlists,
    agreements) and save them if they predict held-out feedback better than the current ones."""
    from flask import current_app

    from catalog_app.recommendations.services import live_index
    from catalog_app.recommendations.tuning import TuningError, tune_weights
    from catalog_app.recommendations.weights import configured_weights, save_weights

    path = output or current_app.config["MATCHING_WEIGHTS_PATH"]
    if not path and not dry_run:
        raise click.UsageError("no MATCHING_WEIGHTS_PATH configured: pass --output PATH (or --dry-run)")
    click.echo("ranking the labelled pairs with the current weights…")
    try:
        report = tune_weights(configured_weights(current_app.config), holdout_every=holdout_every,
                              depth=depth, min_labels=min_labels)
    except TuningError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"labelled pairs: {report.labelled}; fitted on {report.scored_train}, "
               f"checked on {report.scored_holdout} held-out pairs")
    click.echo("coefficients: " + ", ".join(f"{k}={v:+.3f}" for k, v in report.coefficients.items()))
    click.echo(f"held-out log loss: current {report.current_loss:.4f}, tuned {report.tuned_loss:.4f}")
    if not report.improved:
        raise click.ClickException("refused: the tuned weights do not predict the held-out feedback better; "
                                   "nothing written")
    changed = {k: v for k, v in report.tuned.to_dict().items() if report.current.to_dict()[k] != v}
    click.echo("tuned: " + ", ".join(f"{k}={v}" for k, v in changed.items()))
    if dry_run:
        click.echo("dry run: nothing written")
        return
    save_weights(path, report.tuned)
    click.echo(f"weights written to {path}")
    for name in ("listings", "demands", "organizations"):
        live_index(name).rebuild()
    click.echo("indexes rebuilt with the new weights")
