"""Sending email through one function, so that every feature talks to the same mail layer.

For now messages are rendered and written by a simple backend chosen with MAIL_BACKEND:
`console` logs them, `file` writes .eml files under MAIL_FILE_DIR, `memory` keeps them in
`app.extensions["mail_outbox"]` for tests. The email feature replaces the inside of
`send_email` with a transactional outbox; callers do not change.
"""
from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

log = logging.getLogger(__name__)


def render_email(template: str, locale: str, **context) -> tuple[str, str]:
    """Render `templates/emails/<template>.txt` (and .html when present) in `locale`."""
    with force_locale(locale or "zh"):
        text = render_template(f"emails/{template}.txt", **context)
        try:
            html = render_template(f"emails/{template}.html", **context)
        except Exception:  # noqa: BLE001 - a missing HTML variant is allowed
            html = ""
    return text, html


def send_email(recipient: str, subject: str, template: str, locale: str = "zh", **context) -> EmailMessage:
    """Render and hand one email to the configured backend.

    :param recipient: the address.
    :param subject: already-translated subject line.
    :param template: name under templates/emails/ without extension.
    :param locale: the recipient's language.
    :returns: the message as sent.
    """
    text, html = render_email(template, locale, **context)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="scenario-catalog.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")

    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_outbox", []).append(message)
    elif backend == "file":
        directory = Path(current_app.config["MAIL_FILE_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (directory / f"{name}.eml").write_bytes(bytes(message))
    else:
        log.info("email to %s: %s\n%s", recipient, subject, text)
    return message
