import sys

from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import public
from .middleware import database_unavailable_response, is_database_unavailable
from .problems import problem_response


@public
@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception=None):
    """404: a problem document under ``/api/`` (what API clients parse), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return problem_response(404, "Not found.", "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500, except when the database failed before any view ran (reading the session or the API token):
    that is the 503 of an unavailable database. Under ``/api/`` the answer is a problem document."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return database_unavailable_response(request, exception)
    if request.path.startswith("/api/"):
        return problem_response(500, "An error occurred; it has been logged.", "server_error")
    return defaults.server_error(request)
