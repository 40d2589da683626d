"""``/api/v1/residence/documents/<id>/scans/``: a document's scans (list, multipart upload) and
``…/scans/<scan>/`` the file itself (one access-log row per download). Scoped through the document:
anyone who may not see the case's documents gets 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from haven.cases.models import ResidenceDocument
from haven.core.actor import Actor
from haven.core.api_generic import ScopedAPIView
from haven.core.errors import Invalid

from . import scans
from .scan_views import attachment


class ScanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    uploaded_at = serializers.DateTimeField()


class ScanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PDF, JPEG or PNG file (at most HAVEN_SCAN_MAX_BYTES).")


class DocumentScansAPI(ScopedAPIView):
    """GET: the document's scans (without their content); POST (multipart, ``file``): attach one."""

    queryset = ResidenceDocument.objects.select_related("case", "issued_by")
    part = scans.PART
    parser_classes = [MultiPartParser]
    serializer_class = ScanSerializer
    pagination_class = None
    filter_backends: list = []
    http_method_names = ["get", "post", "options"]

    @extend_schema(responses=ScanSerializer(many=True))
    def get(self, request, pk):
        return Response(ScanSerializer(scans.scans_of(self.get_object()), many=True).data)

    @extend_schema(request={"multipart/form-data": ScanUploadSerializer}, responses={201: ScanSerializer})
    def post(self, request, pk):
        document = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(code="scan_missing", field_errors={"file": ["Send the scan as the multipart field 'file'."]})
        scan = scans.attach_scan(Actor.from_request(request), document, upload)
        return Response(ScanSerializer(scan).data, status=status.HTTP_201_CREATED)


class ScanDownloadAPI(ScopedAPIView):
    """GET: the scan's file (an attachment, never cached); each download writes one access-log row."""

    queryset = ResidenceDocument.objects.select_related("case")
    part = scans.PART
    pagination_class = None
    filter_backends: list = []
    http_method_names = ["get", "options"]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, scan):
        document = self.get_object()
        found = scans.scan_for(request.user, document, scan)
        response = attachment(scans.show_scan(Actor.from_request(request), found, path=request.path), found)
        response["Cache-Control"] = "no-store, private"
        return response
