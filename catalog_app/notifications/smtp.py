"""SMTP transport: builds the MIME message from an outbox row and hands it to the server.

The dispatcher keeps one connection per batch. Every failure is sorted into one of two
kinds, because they are handled differently: a *permanent* refusal (5xx, all recipients
refused) fails the row at once; anything else (4xx, timeouts, dropped connections) is
retried later with backoff. `SmtpUnavailable` means the server could not be reached at all,
which says nothing about the message, so the dispatcher puts the batch back untouched.
"""
from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Mapping
from datetime import timezone
from email import policy
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr, getaddresses

from catalog_app.models.outbox import OutboxMessage


class SmtpUnavailable(Exception):
    """Connecting, TLS or login failed: no message was offered."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx)."""


class TransientFailure(Exception):
    """This message may go through later (4xx, connection lost mid-message)."""


_WIRE_POLICY = policy.compat32.clone(linesep="\r\n")  # smtplib leaves the line ends of bytes alone
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in logs, safe for any line length


def _part(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(body, charset=_UTF8_QP)
    return part


def _encode_address(value: str) -> str:
    """RFC 2047-encode display names (Chinese sender names) but never the address itself."""
    return ", ".join(formataddr((name, address), charset="utf-8") for name, address in getaddresses([value]))


def build_message(row, sender: str) -> bytes:
    """The same bytes for every attempt of a row (Date from created_at, Message-ID from the key).

    Built with the compat32 MIME classes: several times faster than EmailMessage with the
    default policy, which matters at hundreds of messages a second.
    """
    if row.body_html:
        message = MIMEMultipart("alternative")
        message.attach(_part(row.body_text, "plain"))
        message.attach(_part(row.body_html, "html"))
    else:
        message = _part(row.body_text, "plain")
    message["From"] = _encode_address(sender)
    message["To"] = _encode_address(row.recipient)
    message["Subject"] = Header(row.subject, "utf-8").encode()
    message["Date"] = format_datetime(row.created_at.replace(tzinfo=timezone.utc))
    message["Message-ID"] = row.message_id
    for name, value in (row.headers or {}).items():
        message[name] = value
    return message.as_bytes(policy=_WIRE_POLICY)


IDLE_CHECK_SECONDS = 10.0


class SmtpTransport:
    """One lazily opened SMTP connection, reopened after any error.

    Servers close idle sessions; a connection unused for IDLE_CHECK_SECONDS is checked with
    NOOP before the next message, so that an idle close is not charged to that message.
    """

    def __init__(self, config: Mapping):
        self.host = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.use_ssl = bool(config["MAIL_USE_SSL"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = float(config["MAIL_TIMEOUT"])
        self.sender = config["MAIL_DEFAULT_SENDER"]
        self._connection: smtplib.SMTP | None = None
        self._last_used = 0.0

    def open(self) -> None:
        if self._connection is not None and time.monotonic() - self._last_used > IDLE_CHECK_SECONDS:
            try:
                self._connection.noop()
            except (OSError, smtplib.SMTPException):
                self._drop()
        if self._connection is not None:
            return
        try:
            if self.use_ssl:
                connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                              context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls and not self.use_ssl:
                connection.starttls(context=ssl.create_default_context())
            if self.username:
                connection.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpUnavailable(f"{self.host}:{self.port}: {_describe(exc)}") from exc
        self._connection = connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()

    def send(self, row: OutboxMessage) -> None:
        """Return once the server accepted the message; raise Permanent/TransientFailure otherwise."""
        self.open()
        message = build_message(row, self.sender)
        envelope_from = getaddresses([self.sender])[0][1]
        try:
            refused = self._connection.sendmail(envelope_from, [row.recipient], message)
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            codes = [code for code, _ in exc.recipients.values()]
            error = TransientFailure if all(400 <= c < 500 for c in codes) else PermanentFailure
            raise error(_describe(exc)) from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused
            self._reset()
            error = PermanentFailure if exc.smtp_code >= 500 else TransientFailure
            raise error(_describe(exc)) from exc
        except (OSError, smtplib.SMTPException) as exc:  # disconnected, timeout
            self._drop()
            raise TransientFailure(_describe(exc)) from exc
        finally:
            self._last_used = time.monotonic()
        if refused:  # only possible with several recipients; we send one per row
            raise PermanentFailure(f"refused: {refused}")

    def _reset(self) -> None:
        """After a refusal the session is still usable once RSET; if not, reconnect."""
        try:
            self._connection.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class MailboxTransport:
    """Development delivery (MAIL_TRANSPORT=mailbox): accept every message without a server.

    The outbox row already holds the rendered message, so "delivering" it is marking it
    sent; /dev/mailbox then lists it. A newcomer needs no SMTP server to see e-mails leave.
    """

    def __init__(self, config: Mapping):
        self.sender = config["MAIL_DEFAULT_SENDER"]

    def send(self, row: OutboxMessage) -> None:
        build_message(row, self.sender)  # a row that could not be sent over SMTP fails here too

    def close(self) -> None:
        pass


def transport_for(config: Mapping) -> "SmtpTransport | MailboxTransport":
    """The transport MAIL_TRANSPORT names ("smtp", the default, or "mailbox")."""
    name = str(config["MAIL_TRANSPORT"]).lower()
    if name == "mailbox":
        return MailboxTransport(config)
    if name != "smtp":
        raise ValueError(f"MAIL_TRANSPORT must be 'smtp' or 'mailbox', not {name!r}")
    return SmtpTransport(config)

