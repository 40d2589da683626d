from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .access import is_public
from .errors import Forbidden, NotFound, ServiceError


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
                 "detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
                status=401,
                content_type="application/problem+json",
            )
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class ServiceErrorPages:
    """The one translator from ``haven.core.errors`` to pages.

    A view lets a service's refusal propagate (or catches it to redisplay its form); whatever
    reaches here is said to the user in their language: after a form post, as a message on the
    page they came from; otherwise on a page of its own with the error's status. Out of scope
    stays a plain 404 and a forbidden act a 403, exactly like Django's own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        back = request.META.get("HTTP_REFERER", "")
        safe = back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        if request.method == "POST" and safe and not getattr(request, "htmx", False):
            messages.error(request, exception.message)
            return redirect(back)
        return render(request, "core/refused.html", {"message": exception.message, "back": back if safe else ""},
                      status=exception.status)
