"""REST API of the justice chain under ``/api/v1/justice/`` (every read goes through ``scope``: the viewsets
are ``haven.core.api_generic.ScopedViewSet``).

The services' refusals (``haven.core.errors``) propagate as they are: the core problem handler
turns them into problem+json with their ``code`` (400 invalid, 403 forbidden, 409 stale, 422 refused).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from haven.access.scope import scope
from haven.cases.models import Case
from haven.core.api_generic import ScopedViewSet
from haven.core.codes import split_codes
from haven.core.errors import Invalid
from haven.jurisdictions.models import JudicialDistrict
from haven.organisations.models import Organisation

from . import services
from .filters import InvestigationFilter
from .models import (
    AgeBand,
    Appeal,
    Appellant,
    CaseLink,
    Charge,
    Decision,
    ExploitationForm,
    Investigation,
    Outcome,
    PersonOutcome,
    Prosecution,
    SuspectCount,
    SuspectRole,
)


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented with an inline enum (no shared schema component whose name could
    collide with another app's choice set of the same field name)."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


# --- serializers -------------------------------------------------------------------------------


class BreakdownSerializer(serializers.Serializer):
    sex = choice(SuspectCount._meta.get_field("sex").choices, default="unknown")
    age_band = choice(AgeBand.choices, default=AgeBand.UNKNOWN)
    citizenship = serializers.CharField(max_length=2, allow_blank=True, default="")
    count = serializers.IntegerField(min_value=1)


class SuspectSerializer(BreakdownSerializer):
    role = choice(SuspectRole.choices, default=SuspectRole.UNKNOWN)


class JudgedSerializer(BreakdownSerializer):
    result = choice(PersonOutcome.choices, source="outcome", help_text=_("convicted or acquitted"))


class AppealSerializer(serializers.ModelSerializer):
    outcome = choice([("", ""), *Outcome.choices], required=False, allow_blank=True)
    appellant = choice(Appellant.choices)
    class Meta:
        model = Appeal
        fields = ["id", "version", "appellant", "lodged", "decided", "outcome", "thb_convicted", "sentence_months",
                  "suspended_months"]
        read_only_fields = ["id", "version"]


class DecisionSerializer(serializers.ModelSerializer):
    outcome = choice(Outcome.choices)
    persons = JudgedSerializer(many=True, required=False)
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "version", "court", "date", "outcome", "thb_convicted", "sentence_months", "suspended_months",
                  "confiscation_euro", "fines_euro", "persons", "appeals"]
        read_only_fields = ["id", "version"]


class ProsecutionSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    charges = serializers.ListField(child=choice(Charge.choices), min_length=1)
    persons = BreakdownSerializer(many=True, required=False)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Prosecution
        fields = ["id", "version", "organisation", "opened", "charges", "thb_in_requisitions", "requisitions_date",
                  "persons", "decisions"]
        read_only_fields = ["id", "version", "organisation", "thb_in_requisitions", "requisitions_date"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["charges"] = split_codes(instance.charges)
        return data


class LinkSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = CaseLink
        fields = ["id", "case", "linked_at"]


class InvestigationSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", queryset=JudicialDistrict.objects.all())
    police_unit = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.filter(kind="police"),
                                               required=False)
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    prosecution_office = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.filter(kind="prosecution"), required=False, allow_null=True)
    exploitation_forms = serializers.ListField(child=serializers.ChoiceField(ExploitationForm.choices),
                                               required=False, source="forms")
    version = serializers.IntegerField(required=False, help_text=_("The version you read; required to edit."))

    class Meta:
        model = Investigation
        fields = ["id", "version", "file_number", "district", "opened", "police_unit", "owner", "prosecution_office",
                  "exploitation_forms"]
        read_only_fields = ["id", "owner"]
        validators = []  # uniqueness is the service's rule (one message, one place)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["exploitation_forms"] = instance.form_list
        return data

    def validate_district(self, value):
        user = self.context["request"].user
        if not Organisation.objects.filter(memberships__user=user, jurisdiction_id=value.jurisdiction_id).exists():
            raise serializers.ValidationError(_("Choose a district of your jurisdiction."))
        return value


class InvestigationDetailSerializer(InvestigationSerializer):
    suspects = SuspectSerializer(many=True, read_only=True)
    prosecutions = ProsecutionSerializer(many=True, read_only=True)
    linked_cases = serializers.SerializerMethodField()

    class Meta(InvestigationSerializer.Meta):
        fields = [*InvestigationSerializer.Meta.fields, "suspects", "prosecutions", "linked_cases"]

    def get_linked_cases(self, instance) -> list[dict]:
        links = instance.links.filter(unlinked_at__isnull=True).select_related("case")
        return LinkSerializer(links, many=True).data


class SuspectsInSerializer(serializers.Serializer):
    rows = SuspectSerializer(many=True)
    replace = serializers.BooleanField(default=False)


class LinkInSerializer(serializers.Serializer):
    case = serializers.CharField(help_text=_("The case's reference"))


class RequisitionsSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    date = serializers.DateField()
    kept = serializers.BooleanField(default=True)


class VersionedPatch(serializers.Serializer):
    version = serializers.IntegerField()


# --- views -------------------------------------------------------------------------------------


def _prefetched(queryset):
    return queryset.select_related("district", "police_unit", "owner", "prosecution_office").prefetch_related(
        "suspects", "prosecutions__organisation", "prosecutions__persons", "prosecutions__decisions__persons",
        "prosecutions__decisions__appeals")


class InvestigationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    """Investigations visible to you (404 for any other). Police officers open and edit them."""

    model = Investigation
    filterset_class = InvestigationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.select_related("district", "police_unit", "owner", "prosecution_office")
        return _prefetched(queryset)

    def get_serializer_class(self):
        return InvestigationSerializer if self.action in {"list", "create", "partial_update"} \
            else InvestigationDetailSerializer

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.open_investigation(
            self.request.user, file_number=data["file_number"], district=data["district"], opened=data["opened"],
            police_unit=data.get("police_unit"), prosecution_office=data.get("prosecution_office"),
            forms=data.get("forms", []))

    @extend_schema(request=InvestigationSerializer, responses=InvestigationSerializer)
    def partial_update(self, request, pk=None):
        investigation = self.get_object()
        serializer = InvestigationSerializer(investigation, data=request.data, partial=True,
                                             context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "version" not in changes:
            raise Invalid(field_errors={"version": [_("Send the version you read.")]}, code="version_missing")
        version = changes.pop("version")
        changes.pop("police_unit", None)
        services.update_investigation(request.user, investigation, version, **changes)
        return Response(InvestigationSerializer(investigation, context=self.get_serializer_context()).data)

    @extend_schema(request=SuspectsInSerializer, responses={201: SuspectSerializer(many=True)})
    # The rows written, one list: not a page, and the list's filters do not apply.
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def suspects(self, request, pk=None):
        investigation = self.get_object()
        body = SuspectsInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = services.record_suspects(request.user, investigation, body.validated_data["rows"],
                                        replace=body.validated_data["replace"])
        return Response(SuspectSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LinkInSerializer, responses={201: LinkSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        investigation = self.get_object()
        body = LinkInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = scope(Case.objects.all(), request.user).filter(reference=body.validated_data["case"]).first()
        if case is None:
            raise Invalid(field_errors={"case": [_("No case with this reference is visible to you.")]},
                          code="case_not_visible")
        link = services.link_case(request.user, investigation, case)
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProsecutionSerializer, responses={201: ProsecutionSerializer})
    @action(detail=True, methods=["post"])
    def prosecutions(self, request, pk=None):
        investigation = self.get_object()
        body = ProsecutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        prosecution = services.open_prosecution(request.user, investigation, opened=data["opened"],
                                                charges=data["charges"], persons=data.get("persons", []))
        return Response(ProsecutionSerializer(prosecution).data, status=status.HTTP_201_CREATED)


class LinkViewSet(ScopedViewSet):
    serializer_class = LinkSerializer
    queryset = CaseLink.objects.filter(unlinked_at__isnull=True).select_related("investigation", "case")

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def unlink(self, request, pk=None):
        link = self.get_object()
        services.unlink_case(request.user, link)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProsecutionViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = ProsecutionSerializer
    queryset = Prosecution.objects.select_related("organisation").prefetch_related(
        "persons", "decisions__persons", "decisions__appeals")

    @extend_schema(request=RequisitionsSerializer, responses=ProsecutionSerializer)
    @action(detail=True, methods=["post"])
    def requisitions(self, request, pk=None):
        prosecution = self.get_object()
        body = RequisitionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.keep_thb_in_requisitions(request.user, prosecution, date=data["date"],
                                          expected_version=data["version"], kept=data["kept"])
        return Response(ProsecutionSerializer(prosecution).data)

    @extend_schema(request=DecisionSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        prosecution = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        persons = data.pop("persons", [])
        decision = services.record_decision(request.user, prosecution, persons=persons, **data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = DecisionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Decision.objects.select_related("prosecution").prefetch_related("persons", "appeals")

    @extend_schema(request=DecisionSerializer, responses=DecisionSerializer)
    def partial_update(self, request, pk=None):
        decision = self.get_object()
        body = DecisionSerializer(decision, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        changes.pop("persons", None)
        version = VersionedPatch(data=request.data)
        version.is_valid(raise_exception=True)
        services.update_decision(request.user, decision, version.validated_data["version"], **changes)
        return Response(DecisionSerializer(decision).data)

    @extend_schema(request=AppealSerializer, responses={201: AppealSerializer})
    @action(detail=True, methods=["post"])
    def appeals(self, request, pk=None):
        decision = self.get_object()
        body = AppealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = services.record_appeal(request.user, decision, **body.validated_data)
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = AppealSerializer
    http_method_names = ["get", "patch", "head", "options"]
    queryset = Appeal.objects.select_related("decision__prosecution")

    @extend_schema(request=AppealSerializer, responses=AppealSerializer)
    def partial_update(self, request, pk=None):
        appeal = self.get_object()
        body = AppealSerializer(appeal, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        version = VersionedPatch(data=request.data)
        version.is_valid(raise_exception=True)
        services.update_appeal(request.user, appeal, version.validated_data["version"], **body.validated_data)
        return Response(AppealSerializer(appeal).data)


