from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.core.actor import Actor
from haven.core.errors import Invalid

from . import mfa, services
from .forms import BreakGlassForm, CodeForm
from .middleware import mfa_exempt


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _locked(request) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": request.user.get_username()})


@mfa_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of signing in: a code from the authenticator app or a recovery code."""
    if not mfa.has_device(request.user):
        return redirect("mfa-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _locked(request):
            logout(request)
            return render(request, "access/locked.html", status=429)
        device = mfa.check_code(request, request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("This code is not valid. Try the current code from your app."))
    return render(request, "access/verify.html", {"form": form, "next": _next(request)},
                  status=400 if form.errors else 200)


@mfa_exempt
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator app (first sign-in), then show the recovery codes once."""
    user = request.user
    if mfa.has_device(user):
        return redirect("mfa-verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or mfa.new_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _locked(request):
            logout(request)
            return render(request, "access/locked.html", status=429)
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = mfa.new_recovery_codes(user)
            otp_login(request, device)
            return render(request, "access/recovery_codes.html", {"codes": codes, "next": _next(request)})
        mfa.check_code(request, user, "")  # count the failure
        form.add_error("code", _("This code is not valid. Try the current code from your app."))
    return render(request, "access/setup.html", {
        "form": form, "qr": mfa.qr_svg(device), "secret": mfa.totp_secret_base32(device), "next": _next(request),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def break_glass(request):
    """Emergency access to a case your organisation does not take part in: logged and reported."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass(Actor.from_request(request), form.cleaned_data["reference"],
                                         form.cleaned_data["reason"])
        except Invalid as exc:  # redisplayed with the input; any other refusal goes to ServiceErrorPages
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.warning(request, _("Emergency access to %(reference)s until %(until)s. It is logged and "
                                        "reported to the case owner's admins.") % {
                "reference": grant.case.reference, "until": f"{grant.expires:%H:%M}"})
            return redirect("case-identity", pk=grant.case_id)
    return render(request, "access/break_glass.html", {"form": form, "hours": services.BREAK_GLASS_HOURS},
                  status=400 if form.errors else 200)
