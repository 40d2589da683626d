from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import public


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
        return JsonResponse({"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Not found.",
                             "code": "not_found"}, status=404, content_type="application/problem+json")
    return defaults.page_not_found(request, exception)
