"""Account forms: input parsing only; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UsernameField

from liaison.accounts.models import TokenScope
from liaison.core.filters import Filters
from liaison.core.forms import UswdsFormMixin
from liaison.core.roles import Role
from liaison.directory.selectors import agencies


class LoginForm(UswdsFormMixin, forms.Form):
    username = UsernameField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(UswdsFormMixin, forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(UswdsFormMixin, forms.Form):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters; not a common password. It never expires.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object] | None:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two new passwords differ.")
        return data


class PasswordSetForm(UswdsFormMixin, forms.Form):
    password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters; not a common password. Give it to the user in person.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “case system sync”."
    )
    expires_days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=730,
        help_text="Leave empty for a token that works until revoked.",
    )
    scope = forms.ChoiceField(
        label="What the token may do",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        required=False,  # none chosen: read only
        widget=forms.RadioSelect,
        help_text="Always within what your account may do. Choose the least the program needs.",
    )

    def clean_scope(self) -> str:
        return str(self.cleaned_data.get("scope") or TokenScope.READ)


class UserForm(UswdsFormMixin, forms.Form):
    username = UsernameField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *Role.choices],
        error_messages={"required": "Choose the user's role."},
    )
    agency = forms.ModelChoiceField(
        queryset=agencies(active_only=True),
        help_text="The agency the user acts for; it decides what they see.",
    )


class UserCreateForm(UserForm):
    password = forms.CharField(
        label="Initial password",
        strip=False,
        required=False,
        help_text="At least 12 characters. Leave empty and set one later from the user's page.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserFilterForm(Filters):
    arguments = {"q": "search", "agency": "agency_id"}

    q = forms.CharField(label="Search", required=False, max_length=100)
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)
    agency = forms.ModelChoiceField(queryset=agencies(), required=False, empty_label="Any agency")
