"""Pages of the second factor (verify, enrol) and of break-glass access; none reads case data itself."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.core.actor import Actor
from haven.core.generic import ServiceFormMixin, UnscopedView
from haven.core.problems import problem_response

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
class VerifyView(UnscopedView, View):
    """Second step of signing in: a code from the authenticator app or a recovery code."""

    reason = "the user's own second factor"
    http_method_names = ["get", "post"]

    def get(self, request):
        if not mfa.has_device(request.user):
            return redirect("mfa-setup")
        return self.show(CodeForm())

    def post(self, request):
        if not mfa.has_device(request.user):
            return redirect("mfa-setup")
        form = CodeForm(request.POST or None)
        if form.is_valid():
            if _locked(request):
                logout(request)
                return render(request, "access/locked.html", status=429)
            device = mfa.check_code(request, request.user, form.cleaned_data["code"])
            if device is not None:
                mfa.step_up(request, device)
                return redirect(_next(request))
            form.add_error("code", _("This code is not valid. Try the current code from your app."))
        return self.show(form)

    def show(self, form):
        return render(self.request, "access/verify.html", {"form": form, "next": _next(self.request)},
                      status=400 if form.errors else 200)


@mfa_exempt
class SetupView(UnscopedView, View):
    """Enrol an authenticator app (first sign-in), then show the recovery codes once."""

    reason = "the user's own second factor"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if mfa.has_device(request.user):
            return redirect("mfa-verify")
        self.device = (TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
                       or mfa.new_totp_device(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(CodeForm())

    def post(self, request):
        user, device = request.user, self.device
        form = CodeForm(request.POST or None)
        if form.is_valid():
            if _locked(request):
                logout(request)
                return render(request, "access/locked.html", status=429)
            if device.verify_token(form.cleaned_data["code"].strip()):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = mfa.new_recovery_codes(user)
                mfa.step_up(request, device)
                return render(request, "access/recovery_codes.html", {"codes": codes, "next": _next(request)})
            mfa.check_code(request, user, "")  # count the failure
            form.add_error("code", _("This code is not valid. Try the current code from your app."))
        return self.show(form)

    def show(self, form):
        return render(self.request, "access/setup.html", {
            "form": form, "qr": mfa.qr_svg(self.device), "secret": mfa.totp_secret_base32(self.device),
            "next": _next(self.request),
        }, status=400 if form.errors else 200)


class BreakGlassView(ServiceFormMixin, UnscopedView, View):
    """Emergency access to a case your organisation does not take part in: logged and reported."""

    reason = "asks for a case outside the user's scope by its reference; the service decides and logs"
    form_class = BreakGlassForm
    template_name = "access/break_glass.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **context):
        return {"hours": services.BREAK_GLASS_HOURS, **context}

    def form_valid(self, form):
        # an Invalid is redisplayed with the input (ServiceFormMixin); any other refusal goes to ServiceErrorPages
        grant = services.break_glass(Actor.from_request(self.request), form.cleaned_data["reference"],
                                     form.cleaned_data["reason"])
        messages.warning(self.request, _("Emergency access to %(reference)s until %(until)s. It is logged and "
                                         "reported to the case owner's admins.") % {
            "reference": grant.case.reference, "until": f"{grant.expires:%H:%M}"})
        return redirect("case-identity", pk=grant.case_id)


verify = VerifyView.as_view()
setup = SetupView.as_view()
break_glass = BreakGlassView.as_view()


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): a problem document on
    the API, the page in the user's language elsewhere; 429 both."""
    if request.path.startswith("/api/"):
        return problem_response(429, "Too many failed attempts. Try again later.", "locked_out")
    return render(request, "access/locked.html", status=429)
