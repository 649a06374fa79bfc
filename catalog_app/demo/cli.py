"""`flask demo load`: fill a database with the demo data set.

The command loads the taxonomy itself first, so it works on a freshly migrated database
(`make run` calls it with --if-empty on every start).
"""
from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")
# Far beyond any benchmark we run; stops a typo (--scale 12000) from filling the disk.
MAX_SCALE = 1000


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when organizations already exist.")
@click.option("--scale", type=int, default=1, show_default=True,
              help="Multiply organizations, listings and demands (benchmarks: 120 gives ~110k listings).")
@click.option("--seed", type=int, default=2025, show_default=True, help="Random seed; same seed, same data.")
def load_command(if_empty: bool, scale: int, seed: int) -> None:
    """Load demo organizations, users, listings, cases, demands, proposals and matches (password: demo12345)."""
    from catalog_app.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
    from catalog_app.demo.services import load_demo_data, organizations_exist, planned_total
    from catalog_app.taxonomy.services import load_taxonomy

    if scale < 1:
        raise click.BadParameter(f"must be at least 1, got {scale}", param_hint="--scale")
    if scale > MAX_SCALE:
        raise click.BadParameter(f"at most {MAX_SCALE} (about {MAX_SCALE * 920:,} listings), got {scale}",
                                 param_hint="--scale")
    load_taxonomy()
    if if_empty and organizations_exist():
        click.echo("Organizations already exist; demo data not loaded (--if-empty).")
        return
    started = time.perf_counter()
    total = planned_total(scale)
    if sys.stdout.isatty():
        with click.progressbar(length=total, label="Generating demo data") as bar:
            counts = load_demo_data(scale=scale, seed=seed, progress=bar.update)
    else:
        counts = load_demo_data(scale=scale, seed=seed, progress=_PeriodicLines(total, started))
    elapsed = time.perf_counter() - started
    click.echo(", ".join(f"{table}={count}" for table, count in sorted(counts.items())))
    click.echo(f"Demo data loaded in {elapsed:.1f}s (scale={scale}, seed={seed}). Demo logins, password "
               f"{DEMO_PASSWORD}: " + ", ".join(f"{a.email} ({a.role.value})" for a in DEMO_ACCOUNTS))


class _PeriodicLines:
    """Progress for logs and pipes, where a progress bar would print nothing useful."""

    def __init__(self, total: int, started: float, steps: int = 10):
        self.total, self.started, self.done = total, started, 0
        self.every = max(1, total // steps)
        self.next_report = self.every

    def __call__(self, rows: int) -> None:
        self.done += rows
        if self.done >= self.next_report and self.total >= 5000:
            click.echo(f"  {self.done:,}/{self.total:,} rows generated "
                       f"({time.perf_counter() - self.started:.0f}s)")
            self.next_report += self.every
