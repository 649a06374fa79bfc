"""Demo sign-ins: the documented accounts per role, and a member for most organizations.

`DEMO_ACCOUNTS` is the one list of documented demo logins (the README table is generated
from it). Besides these, most organizations get one member account named after the
contact on file, so approving a demand or publishing a listing e-mails somebody, as it
would on a live platform; a few organizations stay unclaimed (listed by the operator,
never signed in), which is also true of a live catalog.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import sqlalchemy as sa

from catalog_app.accounts.passwords import hash_password
from catalog_app.extensions import db
from catalog_app.models import OrganizationKind, User, UserRole
from catalog_app.models._types import utcnow

DEMO_PASSWORD = "demo12345"
# Share of the other organizations that get a member account.
MEMBER_SHARE = 0.9


@dataclass(frozen=True)
class DemoAccount:
    """One documented demo login.

    :param organization: which organization the account belongs to, as (kind, n): the
        n-th organization of that kind in the generated data (1-based); None for staff.
    :param purpose: what to try with it (English; the README shows it).
    """

    email: str
    role: UserRole
    display_name: str
    organization: tuple[OrganizationKind, int] | None
    purpose: str
    password: str = DEMO_PASSWORD


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@demo.example.com", UserRole.ADMIN, "平台管理员", None,
                "Administration: users, failed mail, audit log, everything a moderator sees"),
    DemoAccount("moderator@demo.example.com", UserRole.MODERATOR, "内容审核员", None,
                "The review queue: listings and demands awaiting approval"),
    *(DemoAccount(f"enterprise{n}@demo.example.com", UserRole.ENTERPRISE, "", (OrganizationKind.ENTERPRISE, n),
                  "Buyer: post demands, review proposals, send enquiries" if n == 1
                  else "Another buyer (a second enterprise, to see what one side cannot see of the other)")
      for n in (1, 2, 3)),
    *(DemoAccount(f"supplier{n}@demo.example.com", UserRole.SUPPLIER, "", (OrganizationKind.SUPPLIER, n),
                  "Supplier: recommended demands (leads), proposals, listings, enquiries received" if n == 1
                  else "Another supplier, with its own listings and proposals")
      for n in (1, 2, 3)),
    DemoAccount("institute1@demo.example.com", UserRole.SUPPLIER, "", (OrganizationKind.INSTITUTE, 1),
                "A research institute on the supply side"),
    DemoAccount("service1@demo.example.com", UserRole.SUPPLIER, "", (OrganizationKind.SERVICE, 1),
                "A digital-transformation service provider on the supply side"),
    # Reviewers of the demo events' challenge rounds (demo/events.py assigns them).
    DemoAccount("expert1@demo.example.com", UserRole.EXPERT, "张工（高级工程师）", None,
                "Expert reviewer: score the shortlisted on-site pitches of the upcoming event "
                "(huangpu-2027-matchmaking) on a phone; screened and scored the past challenge"),
    DemoAccount("expert2@demo.example.com", UserRole.EXPERT, "李教授（智能制造专家）", None,
                "Another expert reviewer of the same rounds"),
    DemoAccount("expert3@demo.example.com", UserRole.EXPERT, "陈博士（工业AI专家）", None,
                "A third expert reviewer of the same rounds"),
)

ROLE_BY_KIND = {OrganizationKind.ENTERPRISE: UserRole.ENTERPRISE}


@dataclass
class DemoUsers:
    """User ids the deal generator needs: one member per organization, and the documented
    accounts' organizations (whose sign-ins should find deals of their own)."""

    user_by_org: dict[int, int]
    demo_org_ids: dict[OrganizationKind, list[int]]


def add_users(rng: random.Random, writer, orgs, user_table_ids) -> DemoUsers:
    """Write the documented accounts and one member for most other organizations.

    The password is hashed once and the hash reused: hashing is deliberately slow (a
    tenth of a second each), and 150 members would add seconds to `make run`.
    """
    password_hash = hash_password(DEMO_PASSWORD)
    existing = set(db.session.scalars(sa.select(User.email)))
    by_kind: dict[OrganizationKind, list] = {}
    for org in orgs:
        by_kind.setdefault(org.kind, []).append(org)
    now = utcnow()
    users = DemoUsers({}, {})

    def add(email: str, name: str, role: UserRole, org) -> None:
        if email in existing:
            return
        existing.add(email)
        user_id = user_table_ids.take()
        writer.add(User.__table__, {
            "id": user_id, "email": email, "password_hash": password_hash, "display_name": name,
            "role": role, "organization_id": org.id if org else None, "is_org_admin": org is not None,
            "is_active": True, "locale": "zh", "email_verified_at": now, "created_at": now,
        })
        if org is not None:
            users.user_by_org.setdefault(org.id, user_id)

    for account in DEMO_ACCOUNTS:
        org = None
        if account.organization is not None:
            kind, n = account.organization
            members = by_kind.get(kind, [])
            if len(members) < n:
                continue
            org = members[n - 1]
            users.demo_org_ids.setdefault(kind, []).append(org.id)
        add(account.email, account.display_name or _contact(org), account.role, org)
    for org in orgs:
        if org.id in users.user_by_org or rng.random() >= MEMBER_SHARE:
            continue
        add(org.row["contact_email"], _contact(org), ROLE_BY_KIND.get(org.kind, UserRole.SUPPLIER), org)
    writer.flush()
    return users


def _contact(org) -> str:
    return org.row["contact_name"].split("（")[0] if org is not None else ""
