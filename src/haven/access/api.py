"""``POST /api/v1/auth/token/`` (username, password, otp → bearer token) and the token authentication."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.core.access import public
from haven.core.actor import Actor
from haven.core.api_generic import PublicAPI
from haven.core.generic import UnscopedView
from haven.core.problems import problem_response

from . import mfa, services
from .middleware import bearer_key
from .models import ApiToken


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(max_length=12, required=False, allow_blank=True,
                                help_text="6-digit TOTP code, or a recovery code")


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField()


def _problem(status_code: int, title: str, detail: str, code: str):
    return problem_response(status_code, detail, code, title=title)


class TokenView(PublicAPI, APIView):
    """Exchange username, password and a one-time code for a bearer token (8 hours by default).

    Failures count towards the lockout like failed sign-ins on the pages.
    """

    authentication_classes = []

    @extend_schema(request=TokenRequest, responses={201: TokenResponse})
    def post(self, request):
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if getattr(django_request, "axes_locked_out", False):
            return _problem(429, "Locked out", "Too many failed attempts. Try again later.", "locked_out")
        if user is None:
            return _problem(401, "Not authenticated", "Wrong username, password or one-time code.", "wrong_credentials")
        if mfa.has_device(user):
            if mfa.check_code(django_request, user, data.validated_data.get("otp", "")) is None:
                return _problem(401, "Not authenticated", "Wrong username, password or one-time code.",
                                "wrong_credentials")
        elif mfa.mfa_required(user):
            return _problem(403, "Second factor not set up",
                            "Sign in on the web once to set up your authenticator app, then ask for a token.",
                            "second_factor_not_set_up")
        token, key = ApiToken.issue(user)
        return Response({"token": key, "expires": token.expires}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the token used to call this."""
        key = bearer_key(request._request)
        token = ApiToken.find(key) if key else None
        if token is None:
            return _problem(401, "Not authenticated", "Send the token to revoke as Authorization: Bearer.",
                            "not_authenticated")
        token.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


token = public(TokenView.as_view())


class BreakGlassRequest(serializers.Serializer):
    reference = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=500)


class BreakGlassGrant(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    reference = serializers.CharField(source="case.reference")
    expires = serializers.DateTimeField()


class BreakGlassView(UnscopedView, APIView):
    """Emergency access to a case (see the page): logged and reported to the owner's admins."""

    reason = "asks for a case outside the user's scope by its reference; the service decides and logs"

    @extend_schema(request=BreakGlassRequest, responses={201: BreakGlassGrant})
    def post(self, request):
        data = BreakGlassRequest(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.break_glass(Actor.from_request(request._request), **data.validated_data)
        return Response(BreakGlassGrant(grant).data, status=status.HTTP_201_CREATED)


break_glass = BreakGlassView.as_view()
