"""``/api/v1/statistics/series/``: published series; every point links back to its quote."""

from django.urls import reverse
from rest_framework import generics, serializers

from haven.core.access import public
from haven.core.api_generic import PublicAPI

from .models import Series, SeriesPoint
from .services import published_series


class PointSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id")
    quote = serializers.CharField(source="claim.quote")
    source = serializers.IntegerField(source="claim.source_id")
    source_title = serializers.CharField(source="claim.source.title")
    provenance = serializers.SerializerMethodField()

    class Meta:
        model = SeriesPoint
        fields = ["period_label", "period_start", "period_end", "value", "value_max", "qualifier", "per_year",
                  "claim", "quote", "source", "source_title", "provenance"]

    def get_provenance(self, point) -> str:
        return reverse("library-source", args=[point.claim.source_id]) + f"#claim-{point.claim_id}"


class SeriesSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    points = PointSerializer(many=True)

    class Meta:
        model = Series
        fields = ["slug", "measure", "unit", "jurisdiction", "points"]


class SeriesList(PublicAPI, generics.ListAPIView):
    """Published series with their points."""

    serializer_class = SeriesSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = published_series()
        country = self.request.query_params.get("jurisdiction")
        return queryset.filter(jurisdiction=country.upper()) if country else queryset


class SeriesDetail(PublicAPI, generics.RetrieveAPIView):
    serializer_class = SeriesSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return published_series()


series_list = public(SeriesList.as_view())
series_detail = public(SeriesDetail.as_view())
