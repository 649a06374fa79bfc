"""Publishing: what happens when content goes public, across features.

Orchestration layer. A moderator's approval (moderation) refreshes the demand's matches
(recommendations) and queues the notices (notifications); the scans do the same for newly
published listings and saved searches. The features below never import this package; it
calls them. See docs/architecture.md for the layers and the walk from an approval to the
recommendation e-mail.

Why a hook rather than a call from the moderation view: the trigger is the moderator's
decision inside `moderation.services.approve_and_notify`, whose one transaction covers the
status change, the audit entry, the owner's e-mail and the recommendations. Moderation
exposes `register_after_approval(app, type_name, hook)`; `init_app` below registers
`approval.announce_demand` for demands when the factory builds the app. It is a plain list of
callables in `app.extensions` (no blinker signal): explicit, per app, called in order in
the same transaction, and an exception propagates as any other would.
"""
from __future__ import annotations

from flask import Flask

from catalog_app.moderation.services import register_after_approval
from catalog_app.publishing.approval import announce_demand


def init_app(app: Flask) -> None:
    register_after_approval(app, "demand", announce_demand)
