"""The emails of the account workflows, with the signed links they carry.

Helpers for the services: they queue the message through `send_email` in the caller's
transaction and never commit. Subjects are translated in the recipient's language.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from catalog_app.accounts import tokens
from catalog_app.models import Invitation, User
from catalog_app.email_queue import send_email
from catalog_app.public_urls import public_url


def verification_token(user: User) -> str:
    return tokens.make_token(tokens.EMAIL_VERIFICATION,
                             [user.id, user.email, tokens.fingerprint(user.email, user.email_verified_at)])


def reset_token(user: User) -> str:
    return tokens.make_token(tokens.PASSWORD_RESET, [user.id, tokens.fingerprint(user.password_hash)])


def invitation_token(invitation: Invitation) -> str:
    return tokens.make_token(tokens.INVITATION, [invitation.id, invitation.email])


def _hours(setting_seconds: int) -> int:
    return max(1, round(setting_seconds / 3600))


def queue_verification_email(user: User) -> None:
    link = public_url("accounts.verify_email", token=verification_token(user))
    with force_locale(user.locale):
        subject = _("Confirm your email address")
    send_email(user.email, subject, "accounts_verify_email", user.locale, user=user, link=link,
               hours=_hours(current_app.config["EMAIL_VERIFICATION_MAX_AGE"]))


def queue_password_reset_email(user: User) -> None:
    link = public_url("accounts.reset_password", token=reset_token(user))
    with force_locale(user.locale):
        subject = _("Reset your password")
    send_email(user.email, subject, "accounts_reset_password", user.locale, user=user, link=link,
               hours=_hours(current_app.config["PASSWORD_RESET_MAX_AGE"]))


def queue_password_changed_email(user: User) -> None:
    with force_locale(user.locale):
        subject = _("Your password was changed")
    send_email(user.email, subject, "accounts_password_changed", user.locale, user=user,
               link=public_url("accounts.forgot_password"))


def queue_invitation_email(invitation: Invitation, locale: str) -> None:
    link = public_url("accounts.accept_invitation", token=invitation_token(invitation))
    with force_locale(locale):
        subject = _("%(organization)s invites you to the platform", organization=invitation.organization.name)
    send_email(invitation.email, subject, "accounts_invitation", locale, invitation=invitation, link=link,
               inviter=invitation.invited_by, days=max(1, round(current_app.config["INVITATION_MAX_AGE"] / 86400)))


def queue_account_exists_email(user: User) -> None:
    """Someone registered with an address that already has an account: tell its owner.

    The registration form answers as if the account were new (it must not reveal who is
    registered), so this mail is how the real owner, if it was them, finds the way back in.
    """
    with force_locale(user.locale):
        subject = _("You already have an account")
    send_email(user.email, subject, "accounts_account_exists", user.locale, user=user,
               login_link=public_url("accounts.login"),
               reset_link=public_url("accounts.forgot_password"))
