from rest_framework import generics, serializers

from haven.core.access import public
from haven.core.api_generic import PublicAPI

from .models import SupportService
from .services import find_services, jurisdiction_or_default


class SupportServiceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    hours = serializers.CharField(source="display_hours")
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.code")

    class Meta:
        model = SupportService
        fields = ["slug", "jurisdiction", "kind", "name", "description", "hours", "phone", "phone_uri",
                  "regions", "languages", "source"]


class SupportServiceList(PublicAPI, generics.ListAPIView):
    """Public helplines and support services; filter with ``country``, ``region`` and ``language``."""

    authentication_classes = []
    serializer_class = SupportServiceSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return SupportService.objects.none()
        jurisdiction = jurisdiction_or_default(self.request.query_params.get("country"))
        if jurisdiction is None:
            return []
        region = jurisdiction.regions.filter(code=self.request.query_params.get("region")).first()
        return find_services(jurisdiction, region=region, language=self.request.query_params.get("language"))


support_services = public(SupportServiceList.as_view())
