"""Bearer tokens on the API, and the second factor on every page and endpoint that needs it."""

from django.shortcuts import redirect
from django.utils.http import urlencode

from haven.core.access import is_public
from haven.core.problems import problem_response

from .mfa import has_device, mfa_required
from .models import ApiToken


def bearer_key(request) -> str | None:
    scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return key.strip() if scheme.lower() in {"bearer", "token"} and key.strip() else None


def _verified():
    return True


class ApiTokenMiddleware:
    """``Authorization: Bearer <token>`` on ``/api/``: the token's user, verified by the code they
    gave to obtain it. A session is never used together with a token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = bearer_key(request) if request.path.startswith("/api/") else None
        if key:
            token = ApiToken.find(key)
            request._haven_token = token
            if token is not None:
                user = token.user
                user.is_verified = _verified
                user.otp_device = None
                request.user = user
            else:
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()
        return self.get_response(request)


def mfa_exempt(view):
    """For the pages a signed-in user needs before their second factor: verify, enrol, sign out."""
    view.haven_mfa_exempt = True
    return view


def _exempt(view) -> bool:
    return any(getattr(candidate, "haven_mfa_exempt", False)
               for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)))


class MFARequired:
    """A signed-in user whose roles need a second factor reaches nothing else until they gave it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_public(view_func) or _exempt(view_func):
            return None
        if user.is_verified() or not mfa_required(user):
            return None
        if request.path.startswith("/api/"):
            return problem_response(401, "Get a token from POST /api/v1/auth/token/ with username, password and otp.",
                                    "second_factor_required", title="Second factor required")
        target = "mfa-verify" if has_device(user) else "mfa-setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
