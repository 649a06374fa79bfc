"""Per-user choices of how often each kind of email comes: immediately, in a digest, or never.

Feature code asks `frequency_for(user, kind)` before queuing an email of that kind:
IMMEDIATE → `send_email` now; DAILY/WEEKLY → `add_to_digest`; OFF → nothing. A user
without a row for a kind gets the kind's default, so new users need no setup rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from catalog_app.extensions import db
from catalog_app.models import Frequency, NotificationPreference, User, UserRole

DIGEST_PERIODS = (Frequency.DAILY, Frequency.WEEKLY)


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: object          # lazy string
    hint: object           # lazy string
    roles: tuple[UserRole, ...]
    default: Frequency
    choices: tuple[Frequency, ...] = (Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF)


DEMAND_MATCHES = "demand_matches"
STRONG_MATCHES = "strong_matches"
PROPOSALS = "proposals"
INTEREST = "interest"
MODERATION = "moderation"
SAVED_SEARCHES = "saved_searches"
ENQUIRIES = "enquiries"

SUPPLIER, ENTERPRISE = UserRole.SUPPLIER, UserRole.ENTERPRISE
KINDS: dict[str, EmailKind] = {kind.name: kind for kind in (
    EmailKind(DEMAND_MATCHES, _l("New demands matching my listings"),
              _l("Sent when a demand is published that your solutions, products or cases answer."),
              (SUPPLIER,), Frequency.IMMEDIATE),
    # Immediate by default, as for suppliers: only strong matches qualify (confidence floor),
    # and a lead that waits for tomorrow's digest is a lead a competitor answered first.
    EmailKind(STRONG_MATCHES, _l("New strong matches for my demands"),
              _l("Newly published listings that match one of your open demands strongly."),
              (ENTERPRISE,), Frequency.IMMEDIATE),
    # Proposal mail is conversational (a thread): immediately or not at all, no digest.
    EmailKind(PROPOSALS, _l("New proposals for my demands"),
              _l("A supplier submitted a proposal or a message about one of your demands."),
              (ENTERPRISE,), Frequency.IMMEDIATE, (Frequency.IMMEDIATE, Frequency.OFF)),
    # Enquiries are conversational too: immediately or not at all.
    EmailKind(ENQUIRIES, _l("Enquiries and their replies"),
              _l("An enterprise sent your organization an enquiry, or the other side answered in an enquiry thread."),
              (SUPPLIER, ENTERPRISE), Frequency.IMMEDIATE, (Frequency.IMMEDIATE, Frequency.OFF)),
    EmailKind(INTEREST, _l("Someone is interested"),
              _l("The other side marked a recommendation between us as interesting."),
              (SUPPLIER, ENTERPRISE), Frequency.IMMEDIATE, (Frequency.IMMEDIATE, Frequency.OFF)),
    EmailKind(MODERATION, _l("Moderation decisions"),
              _l("Your listing or demand was published or needs changes."),
              (SUPPLIER, ENTERPRISE), Frequency.IMMEDIATE, (Frequency.IMMEDIATE, Frequency.OFF)),
    EmailKind(SAVED_SEARCHES, _l("New results of my saved searches"),
              _l("New solutions, products or cases for the searches you saved."),
              tuple(UserRole), Frequency.WEEKLY, (Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF)),
)}

FREQUENCY_LABELS = {
    Frequency.IMMEDIATE: _l("Immediately"),
    Frequency.DAILY: _l("Daily digest"),
    Frequency.WEEKLY: _l("Weekly digest"),
    Frequency.OFF: _l("Off"),
}


def kinds_for(user: User) -> list[EmailKind]:
    """The kinds of email this user can receive, in page order."""
    return [kind for kind in KINDS.values() if user.role in kind.roles]


def frequencies(user: User) -> dict[str, Frequency]:
    """Every kind → the user's frequency (stored choice or the kind's default)."""
    stored = dict(db.session.execute(
        sa.select(NotificationPreference.kind, NotificationPreference.frequency)
        .where(NotificationPreference.user_id == user.id)).all())
    return {name: stored.get(name, kind.default) for name, kind in KINDS.items()}


def wants_email_now(user: User, kind: str) -> bool:
    """False when `user` switched `kind` off; roles the kind does not apply to always get it."""
    if user.role not in KINDS[kind].roles:
        return True
    return frequency_for(user, kind) is Frequency.IMMEDIATE


def frequency_for(user: User, kind: str) -> Frequency:
    """How `user` wants emails of `kind`; the hook other features call before `send_email`."""
    stored = db.session.scalar(sa.select(NotificationPreference.frequency).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    return stored or KINDS[kind].default


def set_frequency(user: User, kind: str, frequency: Frequency) -> None:
    """Store one choice (flushes; the caller commits). Unknown kinds or choices raise ValueError."""
    email_kind = KINDS.get(kind)
    if email_kind is None or frequency not in email_kind.choices:
        raise ValueError(f"{frequency} is not a choice for {kind}")
    row = db.session.scalar(sa.select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=frequency))
    else:
        row.frequency = frequency
    db.session.flush()


def update_preferences(user: User, choices: dict[str, str]) -> int:
    """The preferences page's use-case: store every valid choice, commit; returns how many were valid."""
    stored = 0
    for kind in kinds_for(user):
        value = choices.get(kind.name)
        try:
            frequency = Frequency(value)
            set_frequency(user, kind.name, frequency)
        except ValueError:
            continue
        stored += 1
    db.session.commit()
    return stored
