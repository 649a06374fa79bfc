"""Password hashing with Argon2id: slow on purpose, so a leaked table resists brute force."""
from __future__ import annotations

from argon2 import PasswordHasher
from flask import Flask
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 10
# Argon2 accepts any length; the cap keeps one request from costing seconds of hashing.
MAX_PASSWORD_LENGTH = 128

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def init_app(app: Flask) -> None:
    """Use the Argon2 cost Config names (PASSWORD_HASH_*), one hasher per process.

    A hash records its own parameters, so hashes made at another cost still verify; a login
    rehashes them at this one (`needs_rehash`). The tests' config lowers the cost: the
    suite hashes and verifies thousands of times, and the cost is not what it tests.
    """
    global _hasher, _dummy_hash
    wanted = (app.config["PASSWORD_HASH_TIME_COST"], app.config["PASSWORD_HASH_MEMORY_KIB"],
              app.config["PASSWORD_HASH_PARALLELISM"])
    if (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism) != wanted:
        _hasher = PasswordHasher(time_cost=wanted[0], memory_cost=wanted[1], parallelism=wanted[2])
        _dummy_hash = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a malformed stored hash counts as a mismatch."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def verify_against_dummy(password: str) -> None:
    """Spend the time of one real verification when the account does not exist.

    Without it an unknown email answers in microseconds and a known one in ~50 ms, which
    tells an attacker which addresses have accounts.
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("dummy password for timing only")
    verify_password(_dummy_hash, password)


def password_problem(password: str, email: str = ""):
    """Why `password` is not acceptable (a translated message), or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(count)d characters.", count=MAX_PASSWORD_LENGTH)
    if email and password.strip().lower() == email.strip().lower():
        return _l("The password must not be your email address.")
    return None
