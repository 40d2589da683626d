from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

from .access import is_public


class LoginRequiredByDefault:
    """Every view needs a signed-in user unless it is marked ``@public``.

    A new page is therefore closed until someone decides it may be open; the URL-walking
    test in ``core/tests`` proves it for every route.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public(view_func) or request.user.is_authenticated:
            return None
        if request.path.startswith("/admin/"):
            return None  # the admin has its own login, restricted to staff
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"type": "about:blank", "title": "Not authenticated", "status": 401,
                 "detail": "Authentication credentials were not provided."},
                status=401,
                content_type="application/problem+json",
            )
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
