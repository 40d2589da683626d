"""API conventions shared by every app: errors are RFC 9457 problem documents."""

from rest_framework.views import exception_handler


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail, errors = str(data["detail"]), None
    else:
        detail, errors = "The request is not valid.", data
    problem = {
        "type": "about:blank",
        "title": response.status_text,
        "status": response.status_code,
        "detail": detail,
    }
    if errors is not None:
        problem["errors"] = errors
    response.data = problem
    response.content_type = "application/problem+json"
    return response
