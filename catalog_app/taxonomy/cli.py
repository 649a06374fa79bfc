import click
from flask.cli import AppGroup

taxonomy_cli = AppGroup("taxonomy", help="Manage the reference taxonomy.")


@taxonomy_cli.command("load")
def load_command() -> None:
    """Insert or update industries, scenarios, technologies and regions."""
    from catalog_app.taxonomy.services import load_taxonomy

    counts = load_taxonomy()
    click.echo("taxonomy loaded: " + ", ".join(f"{name}={count}" for name, count in counts.items()))
