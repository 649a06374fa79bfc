"""/login and /logout: one message for every failure, rate limits, the language preference."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.accounts import passwords
from catalog_app.extensions import db
from catalog_app.models import UserSession
from tests.accounts.conftest import field_errors, form_alerts
from tests.conftest import DEFAULT_PASSWORD


def _login(client, email, password=DEFAULT_PASSWORD, **query):
    return client.post("/login", data={"email": email, "password": password}, query_string=query)


def test_login_opens_a_session_and_goes_to_the_workbench(client, create_user):
    user = create_user(email="engineer@gdtech.cn")
    db.session.commit()
    response = _login(client, "Engineer@GDTech.cn ")
    assert response.status_code == 302 and response.headers["Location"] == "/workbench"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)
                             .where(UserSession.user_id == user.id)) == 1
    assert client.get("/account").status_code == 200


def test_login_follows_a_local_next(client, create_user):
    user = create_user()
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                           "next": "/account/organization?tab=1"})
    assert response.headers["Location"] == "/account/organization?tab=1"


def test_the_login_page_carries_next_into_the_form(client):
    html = client.get("/login?next=/account").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account"' in html
    html = client.get("/login?next=//evil.com").get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in html


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, create_user, monkeypatch):
    user = create_user()
    db.session.commit()
    verified = []
    real_hasher = passwords._hasher

    class SpyHasher:
        def verify(self, stored, given):
            verified.append(stored)
            return real_hasher.verify(stored, given)

        def __getattr__(self, name):
            return getattr(real_hasher, name)

    monkeypatch.setattr(passwords, "_hasher", SpyHasher())

    wrong = _login(client, user.email, "not the password 1")
    unknown = _login(client, "nobody@gdtech.cn", "not the password 1")
    assert wrong.status_code == unknown.status_code == 400
    assert form_alerts(wrong.get_data(as_text=True)) == form_alerts(unknown.get_data(as_text=True)) == ["邮箱或密码错误。"]
    # Both paths ran one Argon2 verification: the real hash, then the dummy one.
    assert len(verified) == 2 and verified[0] == user.password_hash and verified[1].startswith("$argon2id$")
    assert verified[1] != user.password_hash


def test_a_deactivated_account_gets_the_same_answer(client, create_user):
    user = create_user(is_active=False)
    db.session.commit()
    response = _login(client, user.email)
    assert response.status_code == 400 and form_alerts(response.get_data(as_text=True)) == ["邮箱或密码错误。"]


def test_errors_are_english_with_lang_en(client):
    response = client.post("/login?lang=en", data={"email": "", "password": ""})
    assert field_errors(response.get_data(as_text=True)) == {"email": "This field is required.",
                                                             "password": "This field is required."}
    response = _login(client, "nobody@gdtech.cn", "whatever 123", lang="en")
    assert form_alerts(response.get_data(as_text=True)) == ["Incorrect email or password."]


def test_over_long_input_is_refused_without_a_500(client):
    response = client.post("/login", data={"email": "a" * 300 + "@x.cn", "password": "p" * 1000})
    assert response.status_code == 400
    errors = field_errors(response.get_data(as_text=True))
    assert set(errors) == {"email", "password"} and "最多" in errors["email"]


def _backoff(app, free=3, base=2.0, cap=120.0):
    app.config.update(LOGIN_BACKOFF_FREE_FAILURES=free, LOGIN_BACKOFF_BASE_SECONDS=base,
                      LOGIN_BACKOFF_MAX_SECONDS=cap)


def test_failures_slow_the_account_down_instead_of_locking_it(app, client, create_user):
    user = create_user()
    db.session.commit()
    _backoff(app, free=3, base=2)
    for _ in range(3):
        assert _login(client, user.email, "wrong password 1").status_code == 400
    refused = _login(client, user.email)  # even the right password, until the delay passes
    assert refused.status_code == 429
    assert form_alerts(refused.get_data(as_text=True)) == ["该账号登录失败次数过多，请在 2 秒后重试。"]
    # Another account from the same address is not affected.
    other = create_user()
    db.session.commit()
    assert _login(client, other.email).status_code == 302


def test_the_delay_doubles_and_is_capped(app):
    from catalog_app.accounts import throttle

    _backoff(app, free=3, base=2, cap=30)
    with app.test_request_context():
        delays = [throttle.record_login_failure("target@gdtech.cn") for _ in range(10)]
        assert delays == [0, 0, 2, 4, 8, 16, 30, 30, 30, 30]
        assert 29 <= throttle.login_wait_seconds("Target@GDTech.cn ") <= 30
        assert throttle.login_wait_seconds("someone-else@gdtech.cn") == 0


def test_the_owner_gets_in_once_the_short_delay_has_passed(app, client, create_user):
    """Twenty wrong passwords cost the owner at most the cap (here 1 s), never an hour."""
    import time

    user = create_user()
    db.session.commit()
    _backoff(app, free=2, base=1, cap=1)
    statuses = [_login(client, user.email, "wrong password 1").status_code for _ in range(20)]
    assert statuses[:2] == [400, 400] and set(statuses[2:]) == {429}
    time.sleep(1.1)
    assert _login(client, user.email).status_code == 302


def test_an_unknown_address_is_slowed_down_exactly_like_a_known_one(app, create_user):
    """The backoff is keyed by the typed address, so it does not tell who is registered."""
    user = create_user()
    db.session.commit()
    _backoff(app, free=3, base=5)

    def statuses(email):
        client = app.test_client()
        return [_login(client, email, "wrong password 1").status_code for _ in range(5)]

    assert statuses(user.email) == statuses("nobody@gdtech.cn") == [400, 400, 400, 429, 429]


def test_logins_are_limited_per_ip_across_accounts(app, client):
    app.config["LOGIN_LIMIT_PER_IP"] = "4 per minute"
    statuses = [_login(client, f"guess{n}@gdtech.cn", "wrong password 1").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    other_ip = app.test_client().post("/login", data={"email": "guess9@gdtech.cn", "password": "x" * 10},
                                      environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_ip.status_code == 400


def test_a_successful_login_forgets_the_failed_attempts(app, client, create_user):
    user = create_user()
    db.session.commit()
    _backoff(app, free=3)
    for _ in range(2):
        _login(client, user.email, "wrong password 1")
    assert _login(client, user.email).status_code == 302
    client.post("/logout")
    for _ in range(2):
        assert _login(client, user.email, "wrong password 1").status_code == 400
    assert _login(client, user.email).status_code == 302


def test_login_applies_the_language_preference(client, create_user):
    user = create_user(locale="en")
    db.session.commit()
    response = _login(client, user.email)
    assert "lang=en" in response.headers["Set-Cookie"]
    assert "My account" in client.get("/account").get_data(as_text=True)


def test_a_logged_in_visitor_skips_the_login_page(client, create_user):
    from tests.conftest import login_as

    login_as(client, create_user())
    assert client.get("/login").headers["Location"] == "/workbench"
    assert client.get("/register").headers["Location"] == "/account"


def test_logout_is_a_post_that_revokes_the_session(client, create_user):
    user = create_user()
    db.session.commit()
    _login(client, user.email)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == user.id))
    db.session.refresh(row)
    assert row.revoked_at is not None
    assert client.get("/account").status_code == 302
    assert "您已退出登录" in client.get("/login").get_data(as_text=True)
