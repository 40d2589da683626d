"""Who sees which requests: registered with the one scoping place, ``haven.access.scope``.

A request, its answers and their history are seen with the summary of their case: by the organisation
that owns it, and by those that hold or answered it through the ``request`` share the request opened
(``services.sync_request_shares``), narrowed once they answered. Nobody else.
"""

from haven.access.scope import register, register_rule, visible_cases

from .models import DocumentRequest, RequestAnswer

register(DocumentRequest, part="summary", field="case_id")
register(DocumentRequest.history.model, part="summary", field="case_id")


def _answers(queryset, user):
    return queryset.filter(request__case_id__in=visible_cases(user, "summary").values("pk"))


register_rule(RequestAnswer, _answers, part="summary")
