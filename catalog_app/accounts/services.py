"""Accounts: registration with an organization, login and logout, profile and password.

Every use-case function commits once; helpers only flush. Errors a person can fix raise
`AccountError` naming the form field it belongs to, so the view shows it beside that field.
Email recovery (verification, reset) is in recovery.py, membership in membership.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from catalog_app.accounts import throttle
from catalog_app.accounts.emails import (
    queue_account_exists_email,
    queue_password_changed_email,
    queue_verification_email,
)
from catalog_app.accounts.errors import AccountError, NotAllowed, TooManyAttempts  # noqa: F401 (re-exported)
from catalog_app.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_against_dummy,
    verify_password,
)
from catalog_app.accounts.sessions import end_session, revoke_all_sessions, revoke_api_tokens, start_session
from catalog_app.accounts.timing import response_floor
from catalog_app.extensions import db
from catalog_app.models import Organization, OrganizationKind, OrganizationTier, Region, User, UserRole
from catalog_app.models._types import utcnow
from catalog_app.credit_code import is_valid_credit_code, normalize_credit_code
from catalog_app.titles import BLANK_MESSAGE, has_visible_text


ROLE_BY_KIND = {
    OrganizationKind.ENTERPRISE: UserRole.ENTERPRISE,
    OrganizationKind.SUPPLIER: UserRole.SUPPLIER,
    OrganizationKind.INSTITUTE: UserRole.SUPPLIER,
    OrganizationKind.SERVICE: UserRole.SUPPLIER,
}


@dataclass(frozen=True)
class RegistrationInput:
    email: str
    password: str
    display_name: str
    organization_name: str
    credit_code: str
    kind: OrganizationKind
    tier: OrganizationTier
    region_id: int | None
    contact_name: str
    contact_phone: str
    locale: str = "zh"
    # The version of the terms and privacy policy the person agreed to (None: no consent).
    terms_version: str | None = None


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == normalize_email(email)))


def _client_ip() -> str:
    return request.remote_addr or ""


def _check_password(password: str, email: str, field: str = "password") -> None:
    problem = password_problem(password, email)
    if problem:
        raise AccountError(str(problem), field)


def register_account(data: RegistrationInput) -> None:
    """Create an organization and its first member (its admin) and mail a check link.

    The answer must not tell whether the address already has an account: the same
    checks run, the password is hashed, a mail is queued and the view shows the same
    "check your email" message either way. For a taken address the mail goes to its
    owner ("you already have an account") and nothing is stored; the request is padded to
    ACCOUNT_RESPONSE_FLOOR_SECONDS so the time does not differ either. Nobody is logged
    in: the new member logs in with the password they chose.

    An organization registers once: a second person from the same company (same credit
    code) is refused and told to ask its admin for an invitation, so nobody can attach
    themselves to a company they do not belong to.
    """
    email = normalize_email(data.email)
    if not data.terms_version:
        raise AccountError(_("Please agree to the Terms of Use and the Privacy Policy to register."), "accept_terms")
    if not throttle.allow_registration(_client_ip()):
        raise TooManyAttempts(_("Too many registrations from your network. Please try again later."))
    _check_password(data.password, email)
    credit_code = normalize_credit_code(data.credit_code)
    if not is_valid_credit_code(credit_code):
        raise AccountError(_("This is not a valid unified social credit code: check the 18 characters."),
                           "credit_code")
    if not has_visible_text(data.organization_name):
        raise AccountError(str(BLANK_MESSAGE), "organization_name")
    if data.region_id is not None and db.session.get(Region, data.region_id) is None:
        raise AccountError(_("Choose a region from the list."), "region_id")
    if db.session.scalar(sa.select(Organization.id).where(Organization.credit_code == credit_code)):
        raise AccountError(_("This organization is already registered. Ask its administrator to invite you."),
                           "credit_code")
    with response_floor():
        password_hash = hash_password(data.password)  # on both paths: the same slow work
        existing = find_user_by_email(email)
        if existing is not None:
            _tell_owner_of_taken_address(existing)
            return
        _create_organization_and_admin(data, email, credit_code, password_hash)


def _tell_owner_of_taken_address(user: User) -> None:
    """Mail the owner of an address someone tried to register (limited per address)."""
    if throttle.allow_account_email(user.email):
        queue_account_exists_email(user)
        db.session.commit()


def _create_organization_and_admin(data: RegistrationInput, email: str, credit_code: str,
                                   password_hash: str) -> None:
    organization = Organization(
        name=data.organization_name.strip(), credit_code=credit_code, kind=data.kind, tier=data.tier,
        region_id=data.region_id, contact_name=data.contact_name.strip(),
        contact_phone=data.contact_phone.strip(), contact_email=email,
    )
    user = User(
        email=email, password_hash=password_hash, display_name=data.display_name.strip(),
        role=ROLE_BY_KIND[data.kind], organization=organization, is_org_admin=True,
        locale=data.locale if data.locale in current_app.config["LANGUAGES"] else "zh",
        terms_accepted_at=utcnow(), terms_version=data.terms_version,
    )
    db.session.add_all([organization, user])
    try:
        db.session.flush()
        throttle.allow_account_email(email)  # counts toward the address's mail budget
        queue_verification_email(user)
        db.session.commit()
    except IntegrityError:
        # A concurrent registration won the race (same address or credit code): the same
        # neutral answer, with nothing stored.
        db.session.rollback()


def log_in(email: str, password: str) -> User:
    """Check the credentials and open a new session; one message for every failure.

    An unknown email, a wrong password and a deactivated account look the same, and take
    the same time (a dummy Argon2 verification), so the form does not reveal who has an
    account. Attempts are limited per IP address; failures slow the typed address down
    (exponential backoff, capped) rather than locking it, known or not.
    """
    if not throttle.allow_login_attempt(_client_ip()):
        raise TooManyAttempts(_("Too many login attempts. Please wait a few minutes and try again."))
    wait = throttle.login_wait_seconds(email)
    if wait:
        raise TooManyAttempts(_("Too many failed attempts for this account. Please try again in %(seconds)d seconds.",
                                seconds=wait))
    user = find_user_by_email(email)
    if user is None:
        verify_against_dummy(password)
        throttle.record_login_failure(email)
        raise AccountError(_("Incorrect email or password."))
    if not verify_password(user.password_hash, password) or not user.is_active:
        throttle.record_login_failure(email)
        raise AccountError(_("Incorrect email or password."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.forget_login_attempts(email)
    start_session(user)
    db.session.commit()
    return user


def log_out() -> None:
    """Revoke this session's row, so a copy of the cookie stops working too."""
    end_session()
    db.session.commit()


def update_profile(user: User, display_name: str, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Choose a language from the list."), "locale")
    user.display_name = display_name.strip()
    user.locale = locale
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> int:
    """Set a new password, end every other session and revoke every API token of the user;
    returns how many sessions ended.

    Someone who stole a session, a token or the old password is logged out everywhere; this
    browser stays logged in. The owner is told by email in case it was not them.
    """
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("The current password is not correct."), "current_password")
    _check_password(new_password, user.email, "new_password")
    if verify_password(user.password_hash, new_password):
        raise AccountError(_("Choose a password different from the current one."), "new_password")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    ended = revoke_all_sessions(user, keep_token=user.session_token)
    revoke_api_tokens(user)
    queue_password_changed_email(user)
    db.session.commit()
    return ended


def region_choices(locale: str) -> list[tuple[int, str, str]]:
    """(region id, label, city) for every city of Guangdong ("whole city") and its districts."""
    regions = db.session.scalars(sa.select(Region).order_by(Region.code)).all()
    districts_by_city: dict[int, list[Region]] = {}
    for region in regions:
        if region.parent_id is not None:
            districts_by_city.setdefault(region.parent_id, []).append(region)
    choices = []
    for city in (region for region in regions if region.parent_id is None):
        city_name = city.localized_name(locale)
        choices.append((city.id, _("%(city)s (whole city)", city=city_name), city_name))
        choices += [(district.id, district.localized_name(locale), city_name)
                    for district in districts_by_city.get(city.id, [])]
    return choices
