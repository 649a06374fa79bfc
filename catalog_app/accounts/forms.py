"""Forms of the accounts blueprint. Every message is translated; lengths match the columns."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Regexp, ValidationError

from catalog_app.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from catalog_app.labels import LABELS
from catalog_app.models import OrganizationKind, OrganizationTier
from catalog_app.credit_code import is_valid_credit_code
from catalog_app.parameters import parse_id
from catalog_app.titles import VisibleText

LANGUAGE_CHOICES = [SelectChoice("zh", "简体中文"), SelectChoice("en", "English")]
ORGANIZATION_KINDS = [OrganizationKind.ENTERPRISE, OrganizationKind.SUPPLIER,
                      OrganizationKind.INSTITUTE, OrganizationKind.SERVICE]


def _required():
    return DataRequired(message=_l("This field is required."))


def _at_most(count: int):
    return Length(max=count, message=_l("Enter at most %(max)d characters."))


def _email_validators():
    return [_required(), _at_most(254), Email(message=_l("Enter a valid email address."))]


def _new_password_validators():
    return [InputRequired(message=_l("This field is required.")),
            Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                   message=_l("Use %(min)d to %(max)d characters."))]


def _confirmation(field_name: str):
    return [InputRequired(message=_l("This field is required.")),
            EqualTo(field_name, message=_l("The two passwords do not match."))]


def _valid_credit_code(form, field) -> None:
    if field.data and not is_valid_credit_code(field.data):
        raise ValidationError(_l("This is not a valid unified social credit code: check the 18 characters."))


def _optional_int(value):
    if isinstance(value, int):
        return value
    return parse_id(value) if isinstance(value, str) and len(value) < 10 else None


def _please_choose() -> SelectChoice:
    return SelectChoice("", _l("Please choose"))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RegistrationForm(FlaskForm):
    display_name = StringField(_l("Your name"), [_required(), _at_most(60)], filters=[_strip])
    email = EmailField(_l("Work email"), _email_validators(), filters=[_strip])
    password = PasswordField(_l("Password"), _new_password_validators())
    password_confirm = PasswordField(_l("Repeat the password"), _confirmation("password"))
    organization_name = StringField(_l("Organization name"), [_required(), VisibleText(), _at_most(120)],
                                    filters=[_strip])
    credit_code = StringField(_l("Unified social credit code"),
                              [_required(), Length(min=18, max=18, message=_l("The code has exactly 18 characters.")),
                               _valid_credit_code],
                              filters=[_strip, lambda value: value.upper() if isinstance(value, str) else value])
    # No preselected answer: a default would register every hurried visitor as a 链主企业
    # enterprise. The empty first choice fails DataRequired with "This field is required.".
    kind = SelectField(_l("Organization type"), [_required()],
                       choices=[_please_choose()] + [SelectChoice(kind.value, LABELS[kind]) for kind in ORGANIZATION_KINDS])
    tier = SelectField(_l("Size"), [_required()],
                       choices=[_please_choose()] + [SelectChoice(tier.value, LABELS[tier]) for tier in OrganizationTier])
    # The service checks that the region exists; a blank or garbled value reads as "required".
    region_id = SelectField(_l("City or district"), [_required()], coerce=_optional_int, validate_choice=False)
    contact_name = StringField(_l("Contact person"), [_required(), _at_most(60)], filters=[_strip])
    contact_phone = StringField(_l("Contact phone"),
                                [_required(), _at_most(40),
                                 Regexp(r"^[0-9+()\- ]{5,40}$", message=_l("Use digits, spaces, + - ( ) only."))],
                                filters=[_strip])
    confirm_authority = BooleanField(_l("I am authorized to register this organization on the platform"),
                                     [DataRequired(message=_l("Please confirm to continue."))])
    # PIPL: consent is explicit (an unticked box) and recorded with the documents' version.
    accept_terms = BooleanField(_l("I have read and agree to the Terms of Use and the Privacy Policy"),
                                [DataRequired(message=_l("Please agree to the Terms of Use and the Privacy Policy "
                                                         "to register."))])

    def __init__(self, region_choices: list[tuple[int, str, str]], *args, **kwargs):
        """`region_choices`: (id, label, city) from `services.region_choices`."""
        super().__init__(*args, **kwargs)
        self.region_id.choices = [_please_choose()] + [
            SelectChoice(value, text, optgroup=city) for value, text, city in region_choices]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), [_required(), _at_most(254)], filters=[_strip])
    # No length minimum here: the form must not hint at the password rules of an account.
    password = PasswordField(_l("Password"), [InputRequired(message=_l("This field is required.")),
                                              _at_most(MAX_PASSWORD_LENGTH)])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), _email_validators(), filters=[_strip])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), _new_password_validators())
    password_confirm = PasswordField(_l("Repeat the new password"), _confirmation("password"))


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Your name"), [_required(), _at_most(60)], filters=[_strip])
    locale = SelectField(_l("Language"), [_required()], choices=LANGUAGE_CHOICES)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), [InputRequired(message=_l("This field is required.")),
                                                              _at_most(MAX_PASSWORD_LENGTH)])
    new_password = PasswordField(_l("New password"), _new_password_validators())
    new_password_confirm = PasswordField(_l("Repeat the new password"), _confirmation("new_password"))


class InviteForm(FlaskForm):
    email = EmailField(_l("Colleague's email"), _email_validators(), filters=[_strip])


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(_l("Your name"), [_required(), _at_most(60)], filters=[_strip])
    password = PasswordField(_l("Password"), _new_password_validators())
    password_confirm = PasswordField(_l("Repeat the password"), _confirmation("password"))
    accept_terms = BooleanField(_l("I have read and agree to the Terms of Use and the Privacy Policy"),
                                [DataRequired(message=_l("Please agree to the Terms of Use and the Privacy Policy "
                                                         "to register."))])


class DeleteAccountForm(FlaskForm):
    """Deleting an account asks for the password: a left-open session must not be enough."""

    password = PasswordField(_l("Your password"), [InputRequired(message=_l("This field is required.")),
                                                   _at_most(MAX_PASSWORD_LENGTH)])
    confirm = BooleanField(_l("I understand that my account and personal data are deleted for good"),
                           [DataRequired(message=_l("Please confirm to continue."))])


class ConfirmForm(FlaskForm):
    """A button that changes something (log out, remove, resend): only the CSRF token."""


def field_attributes(field, hint: bool = False, autocomplete: str | None = None,
                     autofocus: bool = False) -> dict:
    """HTML attributes for one field: errors and hint wired for screen readers, and the
    `maxlength` of its Length validator so that browsers stop typing where the server would.
    """
    described_by = ([f"{field.id}-error"] if field.errors else []) + ([f"{field.id}-hint"] if hint else [])
    attributes: dict = {}
    if field.type != "BooleanField":
        attributes["class"] = "field__input"
    if field.errors:
        attributes["aria-invalid"] = "true"
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    if autocomplete:
        attributes["autocomplete"] = autocomplete
    if autofocus:
        attributes["autofocus"] = True
    if field.type in ("StringField", "EmailField", "PasswordField"):
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max and v.max > 0]
        if limits:
            attributes["maxlength"] = min(limits)
    return attributes
