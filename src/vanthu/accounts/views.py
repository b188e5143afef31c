"""Sign-in pages: password step, two-factor (verify or enrol), sign-out, password change and reset.

The password step signs the person in; when their roles require two-factor the session stays
unverified, and TwoFactorRequiredMiddleware keeps them on these pages until a code is accepted."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.shortcuts import render
from django.shortcuts import resolve_url
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from vanthu.accounts import forms
from vanthu.accounts import presenters
from vanthu.accounts import services
from vanthu.accounts.two_factor import has_confirmed_device
from vanthu.accounts.two_factor import session_is_verified
from vanthu.accounts.two_factor import two_factor_required
from vanthu.core import clock


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _needs_second_factor(request: HttpRequest) -> bool:
    user: Any = request.user
    return not session_is_verified(user) and two_factor_required(user, clock.now())


def two_factor_verified_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For pages under /accounts/ (left open by the middleware) that need a finished sign-in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and _needs_second_factor(request):
            return redirect(_with_next("accounts:two_factor", request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if self.request.user.is_authenticated and _needs_second_factor(self.request):
            return _with_next("accounts:two_factor", url)
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["two_factor_switched_off"] = not settings.VANTHU_TWO_FACTOR_REQUIRED
        return context


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: a code from the person's authenticator app."""
    next_url = _next_url(request)
    if not _needs_second_factor(request):
        return redirect(next_url)
    person: Any = request.user
    if not has_confirmed_device(person):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = forms.TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(
                person=person, code=form.cleaned_data["code"], now=clock.now(), client_address=_client_address(request)
            )
        except services.TwoFactorCodeError as error:
            form.add_error("code", str(error.message))
        else:
            django_otp.login(request, device)
            return redirect(next_url)
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of a person who must use two-factor: scan the QR code, confirm with a code."""
    next_url = _next_url(request)
    if not _needs_second_factor(request):
        return redirect(next_url)
    person: Any = request.user
    if has_confirmed_device(person):
        return redirect(_with_next("accounts:two_factor", next_url))
    now = clock.now()
    device = services.two_factor_device_prepare(person=person, now=now)
    form = forms.TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_enrol(
                person=person,
                device=device,
                code=form.cleaned_data["code"],
                now=now,
                client_address=_client_address(request),
            )
        except services.TwoFactorCodeError as error:
            form.add_error("code", str(error.message))
        else:
            django_otp.login(request, device)
            messages.success(
                request, _("Two-factor sign-in is set up. From now on you will enter a code after your password.")
            )
            return redirect(next_url)
    context = {"form": form, "next": next_url, **presenters.two_factor_setup(device=device)}
    return render(request, "accounts/two_factor_setup.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("home")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return two_factor_verified_required(super().dispatch)(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        person = services.person_password_set(
            person=form.user, password=form.cleaned_data["new_password1"], now=clock.now()
        )
        update_session_auth_hash(self.request, person)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        person = services.person_password_set(
            person=form.user, password=form.cleaned_data["new_password1"], now=clock.now(), reset=True
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        axes_reset(username=person.get_username())  # proven by e-mail: earlier failures no longer lock
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
