"""Scenario Catalog: the application factory.

Order matters: configuration, then extensions, then blueprints, then CLI commands, so
that every blueprint can rely on bound extensions at import and registration time.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from catalog_app.config import INSTANCE_DIR, PROJECT_ROOT, config_for_environment


def create_app(config: Mapping[str, Any] | type | None = None) -> Flask:
    """Build an app; `config` is a config class or a mapping of overrides (tests use both)."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_for_environment())
        if config:
            app.config.update(config)

    from catalog_app.security import check_production_settings

    check_production_settings(app)
    INSTANCE_DIR.mkdir(exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _wire_orchestration(app)
    return app


def _init_extensions(app: Flask) -> None:
    from catalog_app import database, email_queue, models  # noqa: F401  (models register their tables)
    from catalog_app.accounts import passwords, sessions, throttle
    from catalog_app.extensions import babel, csrf, db, migrate
    from catalog_app.i18n import select_locale
    from catalog_app.recommendations import services as recommendations

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    recommendations.init_app(app)
    passwords.init_app(app)
    sessions.init_app(app)
    throttle.init_app(app)
    app.extensions[email_queue.PUSHER_KEY] = _push_outbox_ids


def _push_outbox_ids(ids: list[int]) -> None:
    """Ring the Celery workers after a commit that queued mail (see email_queue._push_new_ids)."""
    from catalog_app.notifications.tasks import push_outbox_ids  # Celery is an optional dependency

    push_outbox_ids(ids)


def _wire_orchestration(app: Flask) -> None:
    """What spans features: the publishing layer hooks itself into moderation's approvals."""
    from catalog_app import publishing

    publishing.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from catalog_app import errors, i18n, parameters, security, templating
    from catalog_app.accounts.routes import bp as accounts_bp
    from catalog_app.catalog.routes import bp as catalog_bp
    from catalog_app.challenges.routes import bp as challenges_bp
    from catalog_app.demands.routes import bp as demands_bp
    from catalog_app.enquiries.routes import bp as enquiries_bp
    from catalog_app.events.routes import bp as events_bp
    from catalog_app.dev.routes import bp as dev_bp
    from catalog_app.help.routes import bp as help_bp
    from catalog_app.home.routes import bp as home_bp
    from catalog_app.legal.routes import bp as legal_bp
    from catalog_app.listings.routes import bp as listings_bp
    from catalog_app.meetings.routes import bp as meetings_bp
    from catalog_app.moderation.routes import bp as moderation_bp
    from catalog_app.notifications.routes import bp as notifications_bp
    from catalog_app.organizations.routes import bp as organizations_bp
    from catalog_app.proposals.routes import bp as proposals_bp
    from catalog_app.recommendations.routes import bp as recommendations_bp
    from catalog_app.scenarios.routes import bp as scenarios_bp
    from catalog_app.search.routes import bp as search_bp
    from catalog_app.stats.routes import bp as stats_bp
    from catalog_app.workbench.routes import bp as workbench_bp

    parameters.init_app(app)  # first: the rules below are compiled with its `int` converter
    templating.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    app.register_blueprint(accounts_bp)
    for blueprint in (home_bp, catalog_bp, demands_bp, organizations_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(listings_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(recommendations_bp)
    app.register_blueprint(scenarios_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(legal_bp)
    app.register_blueprint(enquiries_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(dev_bp)  # answers 404 unless DEV_MAILBOX
    app.register_blueprint(workbench_bp)
    app.register_blueprint(help_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(challenges_bp)

    from catalog_app import api

    api.init_app(app)


def _register_cli(app: Flask) -> None:
    from catalog_app.demo.cli import demo_cli
    from catalog_app.meetings.cli import meetings_cli
    from catalog_app.moderation.cli import moderation_cli
    from catalog_app.notifications.cli import emails_cli
    from catalog_app.recommendations.cli import matching_cli
    from catalog_app.taxonomy.cli import taxonomy_cli

    from catalog_app.demo_accounts import accounts_command

    demo_cli.add_command(accounts_command)  # `flask demo accounts`: the README's table
    app.cli.add_command(demo_cli)
    app.cli.add_command(taxonomy_cli)
    app.cli.add_command(matching_cli)
    app.cli.add_command(emails_cli)
    app.cli.add_command(moderation_cli)
    app.cli.add_command(meetings_cli)
