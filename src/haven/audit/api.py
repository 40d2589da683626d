from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view

from . import services
from .models import AccessLog, Action, AuditEvent, Purpose
from .views import filtered, filtered_events, readable_events, readable_log, reader_organisation_id


class AccessLogSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = AccessLog
        fields = ["at", "username", "organisation", "owner_organisation", "action", "purpose", "reason", "record",
                  "case_id", "person_id", "ip", "path"]


class AccessLogList(generics.ListAPIView):
    """The access log rows you may read (admins: their organisation; the DPO: all). Filters: action, case."""

    serializer_class = AccessLogSerializer
    filter_backends = []

    def get_queryset(self):
        return filtered(self.request, readable_log(self.request.user)).select_related(
            "organisation", "owner_organisation")


access_log = AccessLogList.as_view()


class AuditEventSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    target_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["at", "username", "organisation", "address", "via", "verb", "target", "target_organisation",
                  "before", "after"]


class AuditEventList(generics.ListAPIView):
    """Who changed a membership, an organisation or a library record (admins: their organisation's
    events; the DPO: all). Filter: verb."""

    serializer_class = AuditEventSerializer
    filter_backends = []

    def get_queryset(self):
        return filtered_events(self.request, readable_events(self.request.user)).select_related(
            "organisation", "target_organisation")


audit_events = AuditEventList.as_view()


@extend_schema(parameters=[OpenApiParameter("format", str, enum=["csv", "json"])],
               responses={(200, "text/csv"): str})
@api_view(["GET"])
def access_log_export(request):
    """All rows you may read, as CSV or JSON in one document. The export is logged."""
    fmt = "json" if request.query_params.get("format") == "json" else "csv"
    body = services.export(filtered(request, readable_log(request.user)), fmt)
    services.record(request._request, Action.LOG_EXPORT, Purpose.OVERSIGHT, target="audit.accesslog:export",
                    organisation_id=reader_organisation_id(request.user))
    return HttpResponse(body, content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8")


__all__ = ["access_log", "access_log_export", "audit_events", "Action"]
