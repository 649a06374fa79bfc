"""Who may do what with accounts and organizations.

Named functions, so that services check them first and templates ask the same question
before showing a button. Anonymous users (Flask-Login's AnonymousUserMixin) answer False
everywhere.
"""
from __future__ import annotations

from catalog_app.models import Organization, User, UserRole

MEMBER_ROLES = (UserRole.ENTERPRISE, UserRole.SUPPLIER)
STAFF_ROLES = (UserRole.MODERATOR, UserRole.ADMIN)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", False)


def has_role(user, *roles: UserRole) -> bool:
    return _signed_in(user) and user.role in roles


def is_staff(user) -> bool:
    """Moderators and administrators of the platform."""
    return has_role(user, *STAFF_ROLES)


def is_admin(user) -> bool:
    return has_role(user, UserRole.ADMIN)


def is_member_of(user, organization: Organization | None) -> bool:
    return (organization is not None and _signed_in(user)
            and user.organization_id is not None and user.organization_id == organization.id)


def is_org_admin_of(user, organization: Organization | None) -> bool:
    return is_member_of(user, organization) and bool(user.is_org_admin)


def is_enterprise_member(user) -> bool:
    return has_role(user, UserRole.ENTERPRISE) and user.organization_id is not None


def is_supplier_member(user) -> bool:
    return has_role(user, UserRole.SUPPLIER) and user.organization_id is not None


def has_verified_email(user) -> bool:
    return _signed_in(user) and user.email_verified_at is not None


def can_manage_members(user, organization: Organization | None) -> bool:
    """Org admins invite and remove members of their own organization."""
    return is_org_admin_of(user, organization)


def can_remove_member(user, member: User) -> bool:
    """An org admin removes colleagues, never themselves (so an organization keeps an admin)."""
    return (member.organization is not None and can_manage_members(user, member.organization)
            and member.id != user.id)
