"""API conventions shared by every app: errors are RFC 9457 problem documents.

This is the one translator from Haven's error vocabulary (``haven.core.errors``) to HTTP for the
API; ``code`` always reaches the client, so a program can tell *why* a step was refused.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.views import exception_handler

from .errors import Forbidden, Invalid, NotFound, ServiceError
from .problems import PROBLEM


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """JSON bodies nested at most ``max_depth`` deep: a body of thousands of ``[`` is a 400, never a
    ``RecursionError`` (the size of a body is bounded by ``DATA_UPLOAD_MAX_MEMORY_SIZE``: a 413)."""

    max_depth = 32

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON nested too deeply.", "too_deep") from None
        pending = [(data, 1)]
        while pending:  # iterative, so the check itself cannot overflow
            value, depth = pending.pop()
            if depth > self.max_depth:
                raise exceptions.ParseError(f"JSON nested deeper than {self.max_depth} levels.", "too_deep")
            if isinstance(value, dict):
                pending.extend((item, depth + 1) for item in value.values())
            elif isinstance(value, list):
                pending.extend((item, depth + 1) for item in value)
        return data


class ServiceProblem(exceptions.APIException):
    """A ``ServiceError`` as DRF sees it, keeping its status, message, code and field errors."""

    def __init__(self, error: ServiceError):
        self.status_code = error.status
        self.field_errors = getattr(error, "field_errors", None) or None
        super().__init__(error.message, error.code)


def as_api_exception(exc):
    """Map service and Django exceptions to DRF's, once for every endpoint."""
    if isinstance(exc, NotFound):
        return exceptions.NotFound()  # never say more about something the caller may not see
    if isinstance(exc, ServiceError):
        return ServiceProblem(exc)
    if isinstance(exc, DjangoValidationError):
        return ServiceProblem(Invalid.from_django(exc))
    if isinstance(exc, PermissionDenied) and exc.args:
        return ServiceProblem(Forbidden(exc.args[0]))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    return exc


def _code(exc) -> str | None:
    detail = getattr(exc, "detail", None)
    code = getattr(detail, "code", None)
    if code:
        return str(code)
    return getattr(exc, "default_code", None)


def problem_exception_handler(exc, context):
    exc = as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    field_errors = getattr(exc, "field_errors", None)
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail, errors = str(data["detail"]), field_errors
    else:
        detail, errors = "The request is not valid.", data
    problem = {
        "type": "about:blank",
        "title": response.status_text,
        "status": response.status_code,
        "detail": detail,
        "code": _code(exc) if isinstance(data, dict) and set(data) == {"detail"} else "invalid",
    }
    if errors is not None:
        problem["errors"] = errors
    response.data = problem
    response.content_type = PROBLEM
    return response


# The problem document every error answer carries (``problem_exception_handler`` above, the 401 of
# ``LoginRequiredByDefault``, the 404 of ``haven.core.views.page_not_found``).
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document; `code` says why, for programs.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "retry_after": {"type": "integer", "description": "Seconds to wait (only for 429)."},
        "errors": {
            "description": "What was wrong with each field of the request (only for 400).",
            "oneOf": [{"type": "object", "additionalProperties": True}, {"type": "array", "items": {}}],
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

# Why each status may answer an operation, as the schema says it.
ERROR_STATUSES = {
    "400": "The request is not valid (`errors` names the fields).",
    "401": "No valid credentials: sign in or send a bearer token.",
    "403": "The signed-in user may not do this.",
    "404": "Not found, or not visible to the caller.",
    "409": "Someone saved in between: read again and send the new `version`.",
    "413": "The request body is too large.",
    "415": "The request body is not in a media type the endpoint reads.",
    "422": "The step is refused by the rules (`code` says why); nothing changed.",
    "429": "Too many attempts: wait before trying again.",
    "503": "The database is not available (`database_unavailable`); nothing was saved. Retry after `Retry-After`.",
}
THROTTLED_PATH = "/api/v1/auth/token/"
WRITES = {"post", "put", "patch", "delete"}


def _takes_version(result: dict, operation: dict) -> bool:
    schemas = result.get("components", {}).get("schemas", {})
    for content in operation.get("requestBody", {}).get("content", {}).values():
        schema = content.get("schema", {})
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            schema = schemas.get(ref.rsplit("/", 1)[1], {})
        if "version" in schema.get("properties", {}):
            return True
    return False


def error_statuses(result: dict, path: str, method: str, operation: dict) -> list[str]:
    """The error statuses ``operation`` can answer: the same rules for every endpoint, so that the
    schema says them once here instead of on sixty views."""
    # no credentials, not allowed, (for safety) not found anywhere, and a database that is down
    statuses = ["401", "403", "404", "503"]
    has_body = "requestBody" in operation
    if has_body or any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
        statuses.append("400")
    if has_body:
        statuses += ["413", "415"]
    if method == "patch" or _takes_version(result, operation):
        statuses.append("409")  # a patch is a versioned edit too (its `version` is read-only in the schema)
    if method in WRITES:
        statuses.append("422")  # every service may refuse a write (``haven.core.errors.Refused``)
    if path == THROTTLED_PATH and method == "post":
        statuses.append("429")  # sign-in throttling
    return sorted(statuses)


def document_problems(result, generator, request, public):
    """drf-spectacular postprocessing hook: the ``Problem`` component and, on every operation, the
    error statuses it can answer, as ``application/problem+json``."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status_code in error_statuses(result, path, method, operation):
                responses.setdefault(status_code, {"description": ERROR_STATUSES[status_code], "content": reference})
    return result
