"""Rate limits and login backoff of the account services (see catalog_app.rate_limits).

Logins: a wrong password slows the account down (exponential backoff, capped at
LOGIN_BACKOFF_MAX_SECONDS) instead of locking it, so an attacker who types five wrong
passwords cannot keep the real owner out for an hour; the hard limits are per client
address (LOGIN_LIMIT_PER_IP). The backoff key is the typed address whether or not an
account has it, so the delay says nothing about who is registered.

Mail the platform sends on an outsider's request (verification, reset, invitation) is
limited per recipient address and per sender (address or account), so no form becomes a
mail cannon.
"""
from __future__ import annotations

from catalog_app import rate_limits
from catalog_app.rate_limits import EXTENSION_KEY, Backoff  # noqa: F401 (EXTENSION_KEY re-exported)

init_app = rate_limits.init_app

LOGIN_BACKOFF = Backoff("login-backoff", "LOGIN_BACKOFF")


def _email_key(email: str) -> str:
    return (email or "").strip().lower()


def allow_login_attempt(ip_address: str) -> bool:
    """Count a login attempt against the per-IP limits (every attempt, whatever account)."""
    return rate_limits.allow("LOGIN_LIMIT_PER_IP", "login-ip", ip_address or "-")


def login_wait_seconds(email: str) -> int:
    """Seconds the account must wait after its recent failures before it may try again."""
    return LOGIN_BACKOFF.seconds_to_wait(_email_key(email))


def record_login_failure(email: str) -> int:
    """A wrong password (or an unknown address): returns the waiting time it starts."""
    return LOGIN_BACKOFF.record_failure(_email_key(email))


def forget_login_attempts(email: str) -> None:
    """After a successful login (or a password reset) the account's failures no longer count."""
    LOGIN_BACKOFF.forget(_email_key(email))


def allow_account_email(address: str) -> bool:
    """Reset and verification mails per address: the form must not become a mail cannon."""
    return rate_limits.allow("ACCOUNT_EMAIL_LIMIT", "account-email", _email_key(address))


def allow_password_reset_request(ip_address: str) -> bool:
    """Reset requests per client address, whatever address they name."""
    return rate_limits.allow("PASSWORD_RESET_LIMIT_PER_IP", "reset-ip", ip_address or "-")


def allow_registration(ip_address: str) -> bool:
    return rate_limits.allow("REGISTRATION_LIMIT_PER_IP", "register-ip", ip_address or "-")


def allow_invitation(sender_id: int, organization_id: int, address: str) -> bool:
    """Invitations per sending member, per organization and per invited address.

    All three are counted for every attempt, so switching sender or organization does not
    help flood one inbox, nor does switching addresses help one sender spam many.
    """
    by_sender = rate_limits.allow("INVITATION_LIMIT_PER_SENDER", "invite-sender", str(sender_id))
    by_organization = rate_limits.allow("INVITATION_LIMIT_PER_ORGANIZATION", "invite-org", str(organization_id))
    by_address = rate_limits.allow("INVITATION_LIMIT_PER_ADDRESS", "invite-address", _email_key(address))
    return by_sender and by_organization and by_address
