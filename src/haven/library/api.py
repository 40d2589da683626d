"""``/api/v1/library/…``: the same as the pages. Reading is public (``PublicAPI``); editing needs the editor
role (others get a problem+json 403) and is ``UnscopedView``: published reports are not case data."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.core.access import public
from haven.core.actor import Actor
from haven.core.api_generic import PublicAPI
from haven.core.generic import UnscopedView

from . import citations, services
from .models import Appearance, Claim, ClaimStatus, Excerpt, Merge, Source
from .search import search
from .vocab import SourceType, Topic


class IsLibraryEditor(BasePermission):
    message = "Only library editors may do this."

    def has_permission(self, request, view):
        return services.is_editor(request.user)


class EditorAPI(UnscopedView):
    """An editor's change to the library."""

    reason = "the library holds published reports, not case data"
    permission_classes = [IsLibraryEditor]


# ------------------------------------------------------------------ serializers


class ExcerptSerializer(serializers.ModelSerializer):
    same_passage_as = serializers.IntegerField(source="duplicate_of_id", allow_null=True)

    class Meta:
        model = Excerpt
        fields = ["id", "position", "heading", "text", "same_passage_as"]


class AppearanceSerializer(serializers.ModelSerializer):
    page = serializers.IntegerField(source="page_id")
    page_title = serializers.CharField(source="page.title")
    excerpts = ExcerptSerializer(many=True)

    class Meta:
        model = Appearance
        fields = ["id", "page", "page_title", "position", "section", "listed_title", "byline", "accessed", "medium",
                  "page_ref", "notes", "language", "excerpts"]


class SourceListSerializer(serializers.ModelSerializer):
    topics = serializers.ListField(source="topic_codes", child=serializers.CharField())
    countries = serializers.ListField(source="country_codes", child=serializers.CharField())
    pages = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["id", "title", "creators", "publisher", "container_title", "issued_year", "source_type",
                  "language", "topics", "countries", "pages"]

    def get_pages(self, source) -> list[int]:
        return sorted({a.page_id for a in source.appearances.all()})


class SourceSerializer(SourceListSerializer):
    appearances = AppearanceSerializer(many=True)
    csl = serializers.SerializerMethodField()

    class Meta(SourceListSerializer.Meta):
        fields = [*SourceListSerializer.Meta.fields, "alt_titles", "edition", "issue", "issued_text", "issued_month",
                  "issued_day", "url", "medium", "appearances", "csl"]

    def get_csl(self, source) -> dict:
        return citations.csl_item(source)


class SourceTagsSerializer(serializers.Serializer):
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices), required=False)
    countries = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    source_type = serializers.ChoiceField(choices=SourceType.choices, required=False)


class ClaimSerializer(serializers.ModelSerializer):
    source_title = serializers.CharField(source="source.title")
    page = serializers.IntegerField(source="excerpt.appearance.page_id")
    jurisdiction = serializers.CharField(source="jurisdiction.code")

    class Meta:
        model = Claim
        fields = ["id", "measure", "value", "value_max", "qualifier", "unit", "per_year", "period_label",
                  "period_start", "period_end", "period_kind", "period_inferred", "jurisdiction", "status", "quote",
                  "quote_start", "quote_end", "value_text", "value_start", "value_end", "excerpt", "source",
                  "source_title", "page"]


class ReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClaimStatus.choices)


class MergeSerializer(serializers.ModelSerializer):
    page = serializers.IntegerField(source="appearance.page_id")

    class Meta:
        model = Merge
        fields = ["id", "kind", "source", "appearance", "page", "excerpt", "into_excerpt", "method", "jaccard",
                  "containment", "created", "undone_at", "split_into"]


class HitSerializer(serializers.Serializer):
    source = SourceListSerializer()
    appearance = serializers.IntegerField(source="appearance.pk")
    page = serializers.IntegerField(source="appearance.page_id")
    score = serializers.FloatField()
    title_match = serializers.BooleanField()
    title_html = serializers.CharField(help_text="escaped text; matches in <mark>")
    snippet_html = serializers.CharField(help_text="escaped text; matches in <mark>")


# ------------------------------------------------------------------ views


class SearchView(PublicAPI, APIView):
    """Full-text search (en, fr, nl, de), one hit per source, title matches first."""

    @extend_schema(parameters=[OpenApiParameter(name, OpenApiTypes.STR, required=name == "q") for name in
                               ("q", "country", "year", "topic", "type", "language")],
                   responses=HitSerializer(many=True))
    def get(self, request):
        params = request.query_params
        year = params.get("year")
        if year and not year.isdigit():
            raise ApiValidationError({"year": ["A year is a number."]})
        hits = search(params.get("q", ""), country=params.get("country") or None, year=year or None,
                      topic=params.get("topic") or None, source_type=params.get("type") or None,
                      language=params.get("language") or None)
        return Response(HitSerializer(hits, many=True).data)


class SourceList(PublicAPI, generics.ListAPIView):
    """Sources; filter with ``country``, ``year``, ``topic``, ``type``."""

    serializer_class = SourceListSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = Source.objects.prefetch_related("topics", "countries", "appearances").order_by("pk")
        params = self.request.query_params
        if params.get("country"):
            queryset = queryset.filter(countries__country=params["country"].upper(), countries__rejected=False)
        if params.get("year", "").isdigit():
            queryset = queryset.filter(issued_year=int(params["year"]))
        if params.get("topic"):
            queryset = queryset.filter(topics__topic=params["topic"], topics__rejected=False)
        if params.get("type"):
            queryset = queryset.filter(source_type=params["type"])
        return queryset.distinct()


class SourceDetail(PublicAPI, APIView):
    """A source with every place it appeared. ``PATCH`` (editors): topics, countries, source_type."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsLibraryEditor()]

    @extend_schema(responses=SourceSerializer)
    def get(self, request, pk):
        source = get_object_or_404(Source.objects.prefetch_related("appearances__excerpts", "appearances__page"), pk=pk)
        return Response(SourceSerializer(source).data)

    @extend_schema(request=SourceTagsSerializer, responses=SourceSerializer)
    def patch(self, request, pk):
        source = get_object_or_404(Source, pk=pk)
        data = SourceTagsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.do_correct_source(Actor.from_request(request), source, **data.validated_data)
        return Response(SourceSerializer(Source.objects.get(pk=pk)).data)


class CitationView(PublicAPI, APIView):
    """A source's citation: ``export`` csl-json, bibtex or ris, or ``style`` apa, chicago, mla, harvard,
    ieee, vancouver. (Not ``format``: DRF keeps that name for content negotiation.)"""

    @extend_schema(parameters=[OpenApiParameter("export", OpenApiTypes.STR),
                               OpenApiParameter("style", OpenApiTypes.STR)], responses=OpenApiTypes.STR)
    def get(self, request, pk):
        source = get_object_or_404(Source, pk=pk)
        style = request.query_params.get("style")
        fmt = request.query_params.get("export", "csl-json" if not style else "")
        if style:
            if style not in citations.STYLES:
                raise ApiValidationError({"style": [f"One of {', '.join(citations.STYLES)}."]})
            return Response({"style": style, "text": citations.formatted([source], style)[0]})
        if fmt not in citations.EXPORTS:
            raise ApiValidationError({"export": [f"One of {', '.join(citations.EXPORTS)}."]})
        return HttpResponse(citations.export([source], fmt), content_type=f"{citations.EXPORTS[fmt]}; charset=utf-8")


class ClaimList(PublicAPI, generics.ListAPIView):
    """Every claim with its measure, value, unit, period, jurisdiction, status, quote and source."""

    serializer_class = ClaimSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = services.claims_queryset()
        status = self.request.query_params.get("status")
        return queryset.filter(status=status) if status else queryset


class ClaimReview(EditorAPI, APIView):
    """Editors: confirm (it becomes a point of a published series), reject or reopen a claim."""

    @extend_schema(request=ReviewSerializer, responses=ClaimSerializer)
    def post(self, request, pk):
        claim = get_object_or_404(Claim, pk=pk)
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.do_review_claim(Actor.from_request(request), claim, data.validated_data["status"])
        return Response(ClaimSerializer(claim).data)


class MergeList(PublicAPI, generics.ListAPIView):
    """What the importer merged (same source, same passage), including undone merges."""

    serializer_class = MergeSerializer
    filter_backends = []
    queryset = Merge.objects.all()


class MergeUndo(EditorAPI, APIView):

    @extend_schema(request=None, responses=MergeSerializer)
    def post(self, request, pk):
        merge = get_object_or_404(Merge, pk=pk)
        merge = services.do_undo_merge(Actor.from_request(request), merge)
        return Response(MergeSerializer(merge).data)


class ImportView(EditorAPI, APIView):
    """Editors: upload text or HTML files (multipart, field ``files``); the import report comes back."""
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
        responses=OpenApiTypes.OBJECT)
    def post(self, request):
        files = request.FILES.getlist("files")
        if not files:
            raise ApiValidationError({"files": ["Send at least one file."]})
        report = services.do_upload_pages(Actor.from_request(request), [(f.name, f) for f in files])
        return Response(report.as_json(), status=422 if report.all_failed else 200)


search_view = public(SearchView.as_view())
source_list = public(SourceList.as_view())
source_detail = public(SourceDetail.as_view())
citation = public(CitationView.as_view())
claim_list = public(ClaimList.as_view())
claim_review = ClaimReview.as_view()
merge_list = public(MergeList.as_view())
merge_undo = MergeUndo.as_view()
import_view = ImportView.as_view()
