"""Accounts: register, log in and out, the account page, recovery links, organization members.

The URLs are the short ones people type (/register, /login, /account), so the blueprint
has no prefix. Views check the form, call one service, then flash and redirect or render;
`AccountError` from a service is shown beside the field it names.
"""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from catalog_app.accounts import membership, privacy, recovery, services
from catalog_app.accounts.decorators import login_required
from catalog_app.accounts.errors import AccountError, NotAllowed, TooManyAttempts
from catalog_app.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    field_attributes,
)
from catalog_app.accounts.tokens import InvalidToken
from catalog_app.form_errors import attach_error
from catalog_app.i18n import LANG_COOKIE
from catalog_app.models import OrganizationKind, OrganizationTier
from catalog_app.security import safe_next_url
from catalog_app.templating import current_locale

bp = Blueprint("accounts", __name__)
bp.add_app_template_global(field_attributes, "account_field_attributes")


def _refuse(form, error: AccountError) -> int:
    """Attach a service refusal to its field (or the form) and return the status to answer."""
    if isinstance(error, NotAllowed):
        abort(403)
    attach_error(form, error.message, error.field)
    return 429 if isinstance(error, TooManyAttempts) else 400


def _refused(template: str, form, error: AccountError, **context):
    """The form page again with the service's refusal shown (attached before rendering)."""
    status = _refuse(form, error)
    return render_template(template, form=form, **context), status


def _status(form) -> int:
    """200 for a fresh form, 400 when a submitted one has errors."""
    return 400 if form.is_submitted() else 200


def _with_locale(response, locale: str):
    """Apply the account's language preference from now on (the `lang` cookie of i18n)."""
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


# --- register, log in, log out --------------------------------------------------------

@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = RegistrationForm(services.region_choices(current_locale()))
    if form.validate_on_submit():
        try:
            services.register_account(services.RegistrationInput(
                email=form.email.data, password=form.password.data, display_name=form.display_name.data,
                organization_name=form.organization_name.data, credit_code=form.credit_code.data,
                kind=OrganizationKind(form.kind.data), tier=OrganizationTier(form.tier.data),
                region_id=form.region_id.data, contact_name=form.contact_name.data,
                contact_phone=form.contact_phone.data, locale=current_locale(),
                terms_version=current_app.config["LEGAL_DOCUMENTS_VERSION"] if form.accept_terms.data else None))
        except AccountError as error:
            return _refused("accounts/register.html", form, error)
        # The same answer whether the address was free or already had an account.
        flash(_("We sent an email to %(email)s. Open the link in it to confirm the address, then log in "
                "with your password.", email=services.normalize_email(form.email.data)), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/register.html", form=form), _status(form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    next_url = safe_next_url(form.next.data if form.is_submitted() else request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("workbench.index"))
    form.next.data = next_url or ""
    if form.validate_on_submit():
        try:
            user = services.log_in(form.email.data, form.password.data)
        except AccountError as error:
            form.password.data = ""
            return _refused("accounts/login.html", form, error)
        # People land on their role's workbench (工作台), not the public home page.
        return _with_locale(redirect(next_url or url_for("workbench.index")), user.locale)
    return render_template("accounts/login.html", form=form), _status(form)


@bp.post("/logout")
def logout():
    if ConfirmForm().validate_on_submit() and current_user.is_authenticated:
        services.log_out()
        flash(_("You have logged out."), "success")
    return redirect(url_for("accounts.login"))


# --- the account page -----------------------------------------------------------------

def _render_account(profile_form=None, password_form=None, status: int = 200):
    profile_form = profile_form or ProfileForm(obj=current_user, formdata=None)
    return render_template("accounts/account.html", profile_form=profile_form,
                           password_form=password_form or ChangePasswordForm(formdata=None),
                           confirm_form=ConfirmForm()), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user)
    if not form.validate_on_submit():
        return _render_account(profile_form=form, status=_status(form))
    try:
        services.update_profile(current_user, form.display_name.data, form.locale.data)
    except AccountError as error:
        return _render_account(profile_form=form, status=_refuse(form, error))
    flash(_("Your profile was saved."), "success")
    return _with_locale(redirect(url_for("accounts.account")), current_user.locale)


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _render_account(password_form=form, status=400)
    try:
        ended = services.change_password(current_user, form.current_password.data, form.new_password.data)
    except AccountError as error:
        return _render_account(password_form=form, status=_refuse(form, error))
    flash(_("Your password was changed. Sessions ended on other devices: %(count)d.", count=ended), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/verification")
@login_required
def resend_verification():
    if ConfirmForm().validate_on_submit():
        try:
            recovery.resend_verification(current_user)
            flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
        except AccountError as error:
            flash(error.message, "error")
    return redirect(url_for("accounts.account"))


@bp.get("/account/verify/<token>")
def verify_email(token: str):
    try:
        recovery.verify_email(token)
    except InvalidToken:
        return render_template("accounts/link_invalid.html"), 400
    flash(_("Thank you: your email address is confirmed."), "success")
    return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))


# --- password reset ---------------------------------------------------------------------

@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.request_password_reset(form.email.data, request.remote_addr or "")
        except AccountError as error:
            return _refused("accounts/forgot_password.html", form, error)
        return render_template("accounts/forgot_password_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), _status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        recovery.user_for_reset_token(token)
    except InvalidToken:
        return render_template("accounts/link_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.password.data)
        except AccountError as error:
            return _refused("accounts/reset_password.html", form, error)
        flash(_("Your password was reset. Please log in with the new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), _status(form)


# --- organization members ----------------------------------------------------------------

def _render_organization(form=None, status: int = 200):
    organization = current_user.organization
    if organization is None:
        return render_template("accounts/no_organization.html"), status
    return render_template("accounts/organization.html", organization=organization,
                           members=membership.organization_members(organization),
                           invitations=membership.open_invitations(organization),
                           form=form or InviteForm(formdata=None), confirm_form=ConfirmForm()), status


@bp.route("/account/organization", methods=["GET", "POST"])
@login_required
def organization():
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_organization(form, _status(form))
    try:
        invitation = membership.invite_member(current_user, form.email.data, current_locale())
    except AccountError as error:
        return _render_organization(form, _refuse(form, error))
    flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("accounts.organization"))


@bp.post("/account/organization/members/<int:user_id>/remove")
@login_required
def remove_member(user_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            member = membership.remove_member(current_user, user_id)
        except NotAllowed:
            abort(403)
        flash(_("%(name)s was removed from the organization.", name=member.display_name or member.email), "success")
    return redirect(url_for("accounts.organization"))


@bp.post("/account/organization/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            membership.revoke_invitation(current_user, invitation_id)
        except NotAllowed:
            abort(403)
        flash(_("The invitation was withdrawn."), "success")
    return redirect(url_for("accounts.organization"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = membership.load_invitation(token)
    except InvalidToken:
        return render_template("accounts/link_invalid.html"), 400
    if current_user.is_authenticated:
        return _join_with_account(token, invitation)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            membership.accept_invitation_as_new_user(
                token, form.display_name.data, form.password.data, current_locale(),
                current_app.config["LEGAL_DOCUMENTS_VERSION"] if form.accept_terms.data else None)
        except AccountError as error:
            return _refused("accounts/invitation.html", form, error, invitation=invitation)
        flash(_("Welcome to %(organization)s!", organization=invitation.organization.name), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/invitation.html", form=form, invitation=invitation), _status(form)


def _join_with_account(token: str, invitation):
    """A logged-in visitor confirms with a button; a GET only shows the invitation."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            membership.accept_invitation_as_user(token, current_user)
        except AccountError as error:
            return _refused("accounts/invitation.html", form, error, invitation=invitation)
        flash(_("Welcome to %(organization)s!", organization=invitation.organization.name), "success")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/invitation.html", form=form, invitation=invitation), _status(form)


# --- my data: a copy and deletion (catalog_app/accounts/privacy.py) ------------------------

@bp.get("/account/data")
@login_required
def my_data():
    return render_template("accounts/my_data.html", form=DeleteAccountForm(formdata=None))


@bp.get("/account/data/export")
@login_required
def export_data():
    """The account's data as a JSON download (PIPL art. 45: a copy in a common format)."""
    body = json.dumps(privacy.export_account_data(current_user), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="account-{current_user.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/delete")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("accounts/my_data.html", form=form), 400
    try:
        privacy.delete_account(current_user, form.password.data)
    except NotAllowed as error:
        flash(error.message, "error")
        return render_template("accounts/my_data.html", form=form), 403
    except AccountError as error:
        return _refused("accounts/my_data.html", form, error)
    logout_user()
    flash(_("Your account was deleted. Thank you for using the platform."), "success")
    return redirect(url_for("home.index"))
