"""``/api/v1/audit/…``: the access log and the audit events, scoped like the pages (``haven.core.api_generic``)."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from haven.core.actor import Actor
from haven.core.api_generic import ScopedAPIView, ScopedListAPIView

from . import services
from .models import AccessLog, Action, AuditEvent, Purpose
from .views import filtered, filtered_events, reader_organisation_id, require_log_reader


class AccessLogSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = AccessLog
        fields = ["at", "username", "organisation", "owner_organisation", "action", "purpose", "reason", "record",
                  "case_id", "person_id", "ip", "path"]


class LogReaderMixin:
    """The scoped rows, for log readers only (404 for anyone else)."""

    def get_queryset(self):
        require_log_reader(self.request.user)
        return super().get_queryset()


class AccessLogList(LogReaderMixin, ScopedListAPIView):
    """The access log rows you may read (admins: their organisation; the DPO: all). Filters: action, case."""

    model = AccessLog
    serializer_class = AccessLogSerializer
    filter_backends = []

    def get_queryset(self):
        return filtered(self.request, super().get_queryset()).select_related("organisation", "owner_organisation")


class AuditEventSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    target_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["at", "username", "organisation", "address", "via", "verb", "target", "target_organisation",
                  "before", "after"]


class AuditEventList(LogReaderMixin, ScopedListAPIView):
    """Who changed a membership, an organisation or a library record (admins: their organisation's
    events; the DPO: all). Filter: verb."""

    model = AuditEvent
    serializer_class = AuditEventSerializer
    filter_backends = []

    def get_queryset(self):
        return filtered_events(self.request, super().get_queryset()).select_related(
            "organisation", "target_organisation")


class AccessLogExport(LogReaderMixin, ScopedAPIView):
    """All rows you may read, as CSV or JSON in one document. The export is logged."""

    model = AccessLog
    http_method_names = ["get", "options"]

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["csv", "json"])],
                   responses={(200, "text/csv"): str})
    def get(self, request):
        fmt = "json" if request.query_params.get("format") == "json" else "csv"
        body = services.export(filtered(request, self.get_queryset()), fmt)
        services.record(Actor.from_request(request), Action.LOG_EXPORT, Purpose.OVERSIGHT,
                        target="audit.accesslog:export", organisation_id=reader_organisation_id(request.user),
                        path=request.path)
        return HttpResponse(body, content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8")


access_log = AccessLogList.as_view()
audit_events = AuditEventList.as_view()
access_log_export = AccessLogExport.as_view()
