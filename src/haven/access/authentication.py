"""DRF authentication by bearer token (kept apart from the views: DRF imports it while starting)."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from .middleware import bearer_key
from .models import ApiToken


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` (``Token <token>`` also accepted)."""

    def authenticate(self, request):
        key = bearer_key(request._request)
        if not key:
            return None
        token = getattr(request._request, "_haven_token", None) or ApiToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or has expired.")
        token.user.is_verified = lambda: True
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
