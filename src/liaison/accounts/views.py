"""Staff pages for sign-in, MFA, the user's own account and tokens, and account admin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from liaison.accounts import selectors, services
from liaison.accounts.forms import (
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordSetForm,
    TokenForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
)
from liaison.accounts.middleware import is_verified, start_session_clock
from liaison.accounts.models import ApiToken, User
from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.filters import list_page
from liaison.core.forms import apply_service_error, run_service
from liaison.ledger.selectors import history_for

NOTICES = {
    "timeout": "You were signed out after 30 minutes without activity. Please sign in again.",
    "reauth": "Sessions end 12 hours after sign-in. Please sign in again.",
    "locked": services.LOCKED_MESSAGE,
}


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required guards every caller"
    return user


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


# --- sign-in and MFA ------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_authenticate(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ServiceError as exc:
            apply_service_error(form, exc)
            status = exc.status if exc.status == 429 else 200
        else:
            auth_login(request, user)
            start_session_clock(request)
            return redirect(_next_url(request))
    notice = next((text for key, text in NOTICES.items() if request.GET.get(key)), "")
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "notice": notice,
        },
        status=status,
    )


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (first time) or enter a code (every sign-in)."""
    user = _me(request)
    target = _next_url(request)
    if is_verified(user):
        return redirect(target)
    form = CodeForm(request.POST or None)
    device = selectors.mfa_device_for_user(user=user)
    context: dict[str, Any] = {"form": form, "next": target}
    if device is None:
        form.fields["token"].help_text = "The 6-digit code your authenticator app shows now."
        pending = services.mfa_enrolment_start(actor=user)
        if request.method == "POST" and form.is_valid():
            try:
                enrolment = services.mfa_enrolment_confirm(
                    actor=user, token=form.cleaned_data["token"], request=request
                )
            except PermissionDenied:
                auth_logout(request)
                return redirect(reverse("accounts:login") + "?locked=1")
            except ServiceError as exc:
                apply_service_error(form, exc)
            else:
                request.session.cycle_key()
                otp_login(request, enrolment.device)
                return render(
                    request,
                    "accounts/mfa_backup_codes.html",
                    {"codes": enrolment.backup_codes, "next": target},
                )
        qr = segno.make(pending.config_url, error="m")
        context |= {
            "qr_svg": mark_safe(  # noqa: S308 - SVG generated by segno from our own URL
                qr.svg_inline(
                    scale=5,
                    dark="#1b1b1b",
                    light="#ffffff",
                    title="QR code for your authenticator app",
                )
            ),
            "secret": selectors.totp_secret_text(device=pending),
        }
        return render(request, "accounts/mfa_enrol.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            verified = services.mfa_verify(
                actor=user, token=form.cleaned_data["token"], request=request
            )
        except PermissionDenied:
            # Too many wrong codes: the sign-in is locked; start again after the lock.
            auth_logout(request)
            return redirect(reverse("accounts:login") + "?locked=1")
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            request.session.cycle_key()
            otp_login(request, verified)
            return redirect(target)
    return render(request, "accounts/mfa_verify.html", context)


# --- my account -------------------------------------------------------------------------------


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "mfa_device": selectors.mfa_device_for_user(user=user),
            "mfa_verified": is_verified(user),
            "backup_codes_left": selectors.backup_codes_left(user=user),
            "tokens": selectors.token_list_for_user(user=user).filter(revoked_at__isnull=True),
        },
    )


@sensitive_post_parameters("old_password", "password", "password_again")
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = PasswordChangeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            run_service(
                form,
                lambda: services.user_password_change(
                    actor=user,
                    user=user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["password"],
                ),
            )
            is not None
        )
    ):
        user.refresh_from_db(fields=["password"])
        update_session_auth_hash(request, user)
        messages.success(request, "Your password was changed.")
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list_view(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; creating one shows its secret once, on the answer page."""
    user = _me(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_days"]
        done = run_service(
            form,
            lambda: services.token_create(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + timedelta(days=days) if days else None,
                scope=form.cleaned_data["scope"],
            ),
        )
        if done is not None:
            row, secret = done
            return render(request, "accounts/token_created.html", {"token": row, "secret": secret})
    tokens = selectors.token_list_for_user(user=user)
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _me(request)
    token = selectors.token_get_for_user(user=user, pk=pk)
    back = (
        reverse("accounts:token_list")
        if token.user_id == user.pk
        else reverse("accounts:user_detail", args=[token.user_id])
    )
    return _confirm(
        request,
        title=f"Revoke the token “{token.name}” ({token.prefix}…)?",
        text="Programs using it stop working at once. This cannot be undone.",
        button="Revoke token",
        back=back,
        act=lambda: services.token_revoke(actor=user, token=token),
        done="The token was revoked.",
    )


# --- account administration (admin role; 404 for everyone else) -----------------------------


@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    def select(**filters: Any) -> Any:
        return selectors.user_list_for_user(**filters)

    return list_page(
        request,
        template="accounts/user_list.html",
        filters=UserFilterForm(request.GET),
        select=select,
    )


@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    account: User = selectors.user_get_for_user(user=me, pk=pk)
    tokens: list[ApiToken] = list(selectors.token_list_for_user(user=me, owner=account))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "tokens": tokens,
            "mfa_device": selectors.mfa_device_for_user(user=account),
            "backup_codes_left": selectors.backup_codes_left(user=account),
            "now": timezone.now(),
            "history": history_for(account),
        },
    )


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    selectors.user_list_for_user(user=me)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = run_service(
            form,
            lambda: services.user_create(
                actor=me,
                username=data["username"],
                email=data["email"],
                role=data["role"],
                agency=data["agency"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"] or None,
            ),
        )
        if user is not None:
            messages.success(request, "The account was created.")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    account: User = selectors.user_get_for_user(user=me, pk=pk)
    initial = {name: getattr(account, name) for name in services.USER_FIELDS}
    form = UserForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            run_service(
                form, lambda: services.user_update(actor=me, user=account, **form.cleaned_data)
            )
            is not None
        )
    ):
        messages.success(request, "The account was saved.")
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def user_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    account: User = selectors.user_get_for_user(user=me, pk=pk)
    form = PasswordSetForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            run_service(
                form,
                lambda: services.user_password_set(
                    actor=me, user=account, password=form.cleaned_data["password"]
                ),
            )
            is not None
        )
    ):
        messages.success(request, "The new password was set.")
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_password.html", {"form": form, "account": account})


def _admin_action(
    request: HttpRequest,
    pk: int,
    *,
    title: str,
    text: str,
    button: str,
    done: str,
    act: Callable[[User, User], object],
) -> HttpResponse:
    me = _me(request)
    account: User = selectors.user_get_for_user(user=me, pk=pk)
    return _confirm(
        request,
        title=title.format(name=account.get_full_name() or account.username),
        text=text,
        button=button,
        back=reverse("accounts:user_detail", args=[account.pk]),
        act=lambda: act(me, account),
        done=done,
    )


def _confirm(
    request: HttpRequest,
    *,
    title: str,
    text: str,
    button: str,
    back: str,
    act: Callable[[], object],
    done: str,
) -> HttpResponse:
    """GET asks for confirmation; POST does it and goes back, with the outcome as a message."""
    if request.method == "POST":
        try:
            act()
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "accounts/confirm.html",
        {"title": title, "text": text, "button": button, "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _admin_action(
        request,
        pk,
        title="Unlock the account of {name}?",
        text="They can sign in again. Make sure the failed attempts were theirs.",
        button="Unlock account",
        done="The account was unlocked.",
        act=lambda me, account: services.user_unlock(actor=me, user=account),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _admin_action(
        request,
        pk,
        title="Deactivate the account of {name}?",
        text="They can no longer sign in and their API tokens stop working. You can reactivate it later.",
        button="Deactivate account",
        done="The account was deactivated.",
        act=lambda me, account: services.user_deactivate(actor=me, user=account),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_activate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _admin_action(
        request,
        pk,
        title="Reactivate the account of {name}?",
        text="They can sign in again with their password and second factor.",
        button="Reactivate account",
        done="The account was reactivated.",
        act=lambda me, account: services.user_activate(actor=me, user=account),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_mfa_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _admin_action(
        request,
        pk,
        title="Reset the second factor of {name}?",
        text="Their authenticator app and backup codes stop working; they set up a new app at their next sign-in. Check who is asking first.",
        button="Reset second factor",
        done="The second factor was reset.",
        act=lambda me, account: services.mfa_reset(actor=me, user=account),
    )
