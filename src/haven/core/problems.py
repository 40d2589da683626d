"""RFC 9457 problem documents answered outside DRF's exception handler (middleware, 404/500
handlers, sign-in): the same shape as ``haven.core.api.problem_exception_handler``'s, ``code`` included."""

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM = "application/problem+json"


def problem_response(status: int, detail: str, code: str, *, title: str | None = None, **extra) -> JsonResponse:
    """A problem+json response; ``title`` defaults to the status's phrase, ``extra`` adds members."""
    body = {"type": "about:blank", "title": title or HTTPStatus(status).phrase, "status": status,
            "detail": str(detail), "code": code, **extra}
    return JsonResponse(body, status=status, content_type=PROBLEM)
