"""Pages of the access log and the audit events (admins of an organisation and the DPO).

The rows are scoped by ``haven.access.scope`` (the scoped bases of ``haven.core.generic``); a user who
reads no log at all gets 404, as for anything out of scope."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from haven.access.scope import LOG_READERS_OWN_ORGANISATION, seats
from haven.core.actor import Actor
from haven.core.generic import ScopedListView, ScopedView

from . import services
from .models import AccessLog, Action, AuditEvent, Purpose, Verb
from .tables import AccessLogTable, AuditEventTable


def require_log_reader(user) -> None:
    """404 for anyone who reads no log (admins and the DPO do)."""
    if not any(seat.role in LOG_READERS_OWN_ORGANISATION for seat in seats(user)):
        raise Http404


def filtered_events(request, queryset):
    verb = request.GET.get("verb")
    return queryset.filter(verb=verb) if verb in Verb.values else queryset


def reader_organisation_id(user) -> int | None:
    return next((s.organisation_id for s in seats(user) if s.role in LOG_READERS_OWN_ORGANISATION), None)


def filtered(request, queryset):
    action = request.GET.get("action")
    if action in Action.values:
        queryset = queryset.filter(action=action)
    if request.GET.get("case", "").isdigit():
        queryset = queryset.filter(case_id=int(request.GET["case"]))
    return queryset


class LogReaderMixin:
    """The scoped rows, for log readers only."""

    def get_queryset(self):
        require_log_reader(self.request.user)
        return super().get_queryset()


@method_decorator(never_cache, name="dispatch")
class AccessLogView(LogReaderMixin, ScopedListView):
    """The access log of your organisation's records and members (admins and the DPO)."""

    model = AccessLog
    table_class = AccessLogTable
    template_name = "audit/log.html"
    paginate_by = 100

    def get_queryset(self):
        return filtered(self.request, super().get_queryset()).select_related("organisation", "owner_organisation")

    def get_context_data(self, **context):
        return {**context, "actions": Action.choices, "action": self.request.GET.get("action", "")}


@method_decorator(never_cache, name="dispatch")
class AccessLogExportView(LogReaderMixin, ScopedView):
    """The same rows as CSV (``?format=csv``) or JSON (``?format=json``); the export is logged."""

    model = AccessLog
    http_method_names = ["get"]

    def get(self, request):
        fmt = "json" if request.GET.get("format") == "json" else "csv"
        body = services.export(filtered(request, self.get_queryset()), fmt)
        services.record(Actor.from_request(request), Action.LOG_EXPORT, Purpose.OVERSIGHT,
                        target="audit.accesslog:export", organisation_id=reader_organisation_id(request.user),
                        path=request.path)
        response = HttpResponse(body, content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.now():%Y%m%d-%H%M}.{fmt}"'
        return response


@method_decorator(never_cache, name="dispatch")
class AuditEventsView(LogReaderMixin, ScopedListView):
    """Who changed a membership, an organisation or a library record (admins of it and the DPO)."""

    model = AuditEvent
    table_class = AuditEventTable
    template_name = "audit/events.html"
    paginate_by = 100

    def get_queryset(self):
        return filtered_events(self.request, super().get_queryset()).select_related(
            "organisation", "target_organisation")

    def get_context_data(self, **context):
        return {**context, "verbs": Verb.choices, "verb": self.request.GET.get("verb", "")}
