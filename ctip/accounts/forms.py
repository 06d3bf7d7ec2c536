from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from ctip.accounts.models import User, normalise_email
from ctip.accounts.services import user_set_password
from ctip.accounts.tasks import send_password_link
from ctip.orgs.models import Membership


class AccountEmailField(forms.EmailField):
    """An e-mail that names an account, read in its one spelling (``normalise_email``) before it is checked."""

    def to_python(self, value: Any) -> str:
        return normalise_email(super().to_python(value) or "")


class LoginForm(AuthenticationForm):
    username = AccountEmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    error_messages = {
        # One message for every failure, so the page never tells whether an account exists.
        "invalid_login": _("The e-mail or password is not correct."),
        "inactive": _("The e-mail or password is not correct."),
    }


if TYPE_CHECKING:
    _SetPasswordForm = SetPasswordForm[User]
else:  # Django's forms are not generic at run time
    _SetPasswordForm = SetPasswordForm


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the mail is queued with the user's id only, and the worker makes the link."""

    email = AccountEmailField(
        label=PasswordResetForm.base_fields["email"].label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        # The account the address names, as at the login: not whatever the database's own case rules also match.
        users = User.objects.filter(email=normalise_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        base_url = f"{context['protocol']}://{context['domain']}"
        send_password_link.enqueue(user_id=context["user"].pk, base_url=base_url, kind="reset")


class ChooseOrganisationForm(forms.Form):
    membership = forms.TypedChoiceField(label=_("Organisation"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, memberships: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 (declared above)
        field.choices = [(m.pk, m.organisation.name) for m in memberships]


class AuditedSetPasswordForm(_SetPasswordForm):
    """Password reset (from the e-mailed link): the new password is set through the audited service."""

    def save(self, commit: bool = True) -> User:
        return user_set_password(user=self.user, password=self.cleaned_data["new_password1"], by=None)


class AuditedPasswordChangeForm(PasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        return user_set_password(user=self.user, password=self.cleaned_data["new_password1"], by=self.user)


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )
