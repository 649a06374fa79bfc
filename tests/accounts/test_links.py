"""Emailed links: email verification, password reset and invitations are signed, expire, work once."""
from __future__ import annotations

import sqlalchemy as sa

from catalog_app.extensions import db
from catalog_app.models import OrganizationKind, User, UserRole
from tests.accounts.conftest import link_in
from tests.conftest import login_as

NEW_PASSWORD = "a brand new passphrase 7"


def test_the_verification_link_works_once(client, registration, outbox):
    form = registration()
    client.post("/register", data=form)
    link = link_in(outbox(form["email"])[0])
    assert client.get(link).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == form["email"]))
    assert user.email_verified_at is not None
    assert client.get(link).status_code == 400  # used
    assert client.get(link[:-2] + "xx").status_code == 400  # tampered


def test_links_expire(app, client, registration, outbox):
    form = registration()
    client.post("/register", data=form)
    app.config["EMAIL_VERIFICATION_MAX_AGE"] = -1
    assert client.get(link_in(outbox(form["email"])[0])).status_code == 400


def test_password_reset_works_once_and_says_the_same_for_unknown_addresses(client, create_user, outbox):
    user = create_user()
    db.session.commit()
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "nobody@gdtech.cn"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace(user.email, "X") == unknown.get_data(as_text=True).replace(
        "nobody@gdtech.cn", "X")
    [message] = outbox(user.email)
    assert outbox("nobody@gdtech.cn") == []
    link = link_in(message)
    assert client.post(link, data={"password": "short", "password_confirm": "short"}).status_code == 400
    assert client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 302
    assert client.get(link).status_code == 400  # the hash changed: single use
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_token_is_not_a_verification_token(client, create_user, outbox):
    user = create_user(email_verified_at=None)
    db.session.commit()
    client.post("/password/forgot", data={"email": user.email})
    token = link_in(outbox(user.email)[0]).rsplit("/", 1)[1]
    assert client.get(f"/account/verify/{token}").status_code == 400


def test_an_invitation_creates_a_member_and_works_once(app, client, create_user, create_organization, outbox):
    organization = create_organization(kind=OrganizationKind.ENTERPRISE)
    admin = create_user(role=UserRole.ENTERPRISE, organization=organization, is_org_admin=True)
    login_as(client, admin)
    assert client.post("/account/organization", data={"email": "New.Hire@gdtech.cn"}).status_code == 302
    link = link_in(outbox("new.hire@gdtech.cn")[0])

    guest = app.test_client()
    assert guest.post(link, data={"display_name": "王工", "password": NEW_PASSWORD,
                                  "password_confirm": NEW_PASSWORD}).status_code == 400  # no consent
    assert guest.post(link, data={"display_name": "王工", "password": NEW_PASSWORD,
                                  "password_confirm": NEW_PASSWORD, "accept_terms": "y"}).status_code == 302
    member = db.session.scalar(sa.select(User).where(User.email == "new.hire@gdtech.cn"))
    assert member.terms_version == app.config["LEGAL_DOCUMENTS_VERSION"] and member.terms_accepted_at
    assert member.organization_id == organization.id and member.role is UserRole.ENTERPRISE
    assert not member.is_org_admin and member.email_verified_at is not None
    assert app.test_client().get(link).status_code == 400


def test_only_org_admins_invite_and_remove(client, create_user, create_organization):
    organization = create_organization()
    admin = create_user(organization=organization, is_org_admin=True)
    member = create_user(organization=organization)
    outsider = create_user()
    login_as(client, member)
    assert client.post("/account/organization", data={"email": "x@gdtech.cn"}).status_code == 403
    assert client.post(f"/account/organization/members/{admin.id}/remove").status_code == 403
    login_as(client, admin)
    assert client.post(f"/account/organization/members/{outsider.id}/remove").status_code == 403
    assert client.post(f"/account/organization/members/{admin.id}/remove").status_code == 403
    assert client.post(f"/account/organization/members/{member.id}/remove").status_code == 302
    db.session.refresh(member)
    assert member.organization_id is None


def test_role_required_answers_403_to_the_wrong_role(app, client, create_user):
    from catalog_app.accounts.decorators import role_required

    @role_required(UserRole.MODERATOR, UserRole.ADMIN)
    def staff_only():
        return "ok"

    app.add_url_rule("/_test/staff", "staff_only", staff_only)
    assert client.get("/_test/staff").status_code == 302
    login_as(client, create_user(role=UserRole.SUPPLIER))
    assert client.get("/_test/staff").status_code == 403
    login_as(client, create_user(role=UserRole.MODERATOR))
    assert client.get("/_test/staff").status_code == 200
