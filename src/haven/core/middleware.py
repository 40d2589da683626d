import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, InternalError, OperationalError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .access import is_public
from .errors import Forbidden, NotFound, ServiceError
from .problems import problem_response


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
            return problem_response(401, "Authentication credentials were not provided.", "not_authenticated",
                                    title="Not authenticated")
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


# SQLSTATE of a write refused by a read-only transaction or server (a standby, a database set
# ``default_transaction_read_only``): psycopg raises it as an InternalError, Django keeps that class.
READ_ONLY_SQLSTATE = "25006"
RETRY_AFTER_SECONDS = 10

log = logging.getLogger("haven.database")


def is_database_unavailable(exception: BaseException) -> bool:
    """The database cannot take the request now: connection lost or refused, server restarting,
    disk full (OperationalError), connection already closed (InterfaceError), read-only."""
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    return isinstance(exception, InternalError) and getattr(exception.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE


class DatabaseUnavailable:
    """A database that is down, restarting, read-only or full is answered 503, never with a stack trace.

    The failed write ran in its own transaction, which the database rolled back, so nothing was
    saved: the API says so in a problem document (``database_unavailable``) and pages on a small page,
    both with ``Retry-After``. The page does not extend ``base.html``: that template reads the user and
    the messages, which live in the session, in the very database that just failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request, exception)


def database_unavailable_response(request, exception):
    """The 503 of an unavailable database (also used by ``haven.core.views.server_error`` for a failure
    before any view ran, e.g. while the session or the API token is read)."""
    # The path only (never the query string, never a name); the exception says what failed.
    log.error("database unavailable: %s %s answered 503", request.method, request.path, exc_info=exception)
    message = _("The database is not available. Nothing was saved; try again in a moment.")
    if request.path.startswith("/api/"):
        response = problem_response(503, message, "database_unavailable")
    else:
        back = request.META.get("HTTP_REFERER", "")
        safe = back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        response = render(request, "core/database_unavailable.html",
                          {"message": message, "back": back if safe else ""}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
