"""The guardianship API under ``/api/v1/guardianship/``: guardians' appointments and age assessments.

Reads go through ``haven.access.scope`` (the scoped bases of ``haven.core.api_generic``); writes through
``services``, whose refusals become problem+json with their ``code`` (400 invalid, 409 stale, 422 refused).
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from haven.access.context import context_for
from haven.access.scope import seats
from haven.cases.models import Case
from haven.core.api_generic import ScopedListAPIView, ScopedObjectAPIView, ScopedRetrieveAPIView
from haven.core.errors import Invalid
from haven.core.generic import UnscopedView
from haven.organisations.models import User
from haven.organisations.roles import OrganisationKind

from . import services
from .models import AgeAssessment, GuardianAppointment

Outcome = AgeAssessment.Outcome


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented with an inline enum (no schema component named after the field, which
    another app's ``outcome`` would collide with)."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


# --- serializers -------------------------------------------------------------------------------


class AppointmentSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    guardian_name = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()

    class Meta:
        model = GuardianAppointment
        fields = ["id", "case", "case_reference", "organisation", "guardian", "guardian_name", "appointed_on",
                  "ended_on", "end_reason", "current"]

    def get_guardian_name(self, appointment) -> str:
        return services.name_of(appointment.guardian)

    def get_current(self, appointment) -> bool:
        return appointment.ended_on is None


class AppointSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="The id of the child's case.")
    guardian = serializers.IntegerField(help_text="The id of a member of your service with the role guardian "
                                                  "(GET /api/v1/guardianship/guardians/).")
    version = serializers.IntegerField(help_text="The case version you read; a stale one is refused (409).")
    on = serializers.DateField(required=False, help_text="Date of the appointment (default: today).")


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    version = serializers.IntegerField(help_text="The case version you read; a stale one is refused (409).")
    on = serializers.DateField(required=False)


class AssessmentSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    opened_by_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    outcome = choice(Outcome.choices, read_only=True)

    class Meta:
        model = AgeAssessment
        fields = ["id", "case", "case_reference", "organisation", "opened_on", "opened_by_organisation", "doubt",
                  "outcome", "decided_on", "estimated_birth_year", "note", "version"]


class DoubtSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="The id of the case.")
    doubt = serializers.CharField(max_length=2000, help_text="Why the age is in doubt.")
    on = serializers.DateField(required=False)


class DecideSerializer(serializers.Serializer):
    outcome = choice([(value, label) for value, label in Outcome.choices if value != Outcome.PENDING])
    version = serializers.IntegerField(help_text="The assessment's version you read; a stale one is refused (409).")
    estimated_birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=9999)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    on = serializers.DateField(required=False)


class GuardianSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField(help_text="Slug of the guardianship service.")


# --- filters -----------------------------------------------------------------------------------


class AppointmentFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    current = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label="current")

    class Meta:
        model = GuardianAppointment
        fields = ["case", "current"]


class AssessmentFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = AgeAssessment
        fields = ["case", "outcome"]


def _case(user, pk) -> Case:
    """The case named in a body, if the user may see it (otherwise the same answer as for no such case)."""
    case = Case.objects.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Invalid(field_errors={"case": [_("No such case.")]}, code="unknown_case")
    return case


# --- endpoints ---------------------------------------------------------------------------------


class AppointmentList(ScopedListAPIView):
    """The guardians' appointments of the cases you see (``?case=``, ``?current=true``); POST appoints a
    guardian (the guardianship service that holds the child's case; the current guardian is replaced)."""

    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    queryset = GuardianAppointment.objects.select_related("case", "organisation", "guardian").order_by(
        "-appointed_on", "-pk")

    @extend_schema(request=AppointSerializer, responses={201: AppointmentSerializer})
    def post(self, request):
        body = AppointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        case = _case(request.user, v["case"])
        guardian = User.objects.filter(pk=v["guardian"]).first()
        appointment = services.appoint_guardian(request.user, case, guardian, on=v.get("on"),
                                                expected_version=v["version"])
        return Response(AppointmentSerializer(appointment).data, status=201)


class AppointmentDetail(ScopedRetrieveAPIView):
    serializer_class = AppointmentSerializer
    queryset = GuardianAppointment.objects.select_related("case", "organisation", "guardian")


class EndAppointment(ScopedObjectAPIView):
    """End a guardianship without appointing another guardian (the service that appointed the guardian)."""

    queryset = GuardianAppointment.objects.select_related("case", "organisation", "guardian")

    @extend_schema(request=EndSerializer, responses={200: AppointmentSerializer})
    def post(self, request, pk):
        appointment = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        services.end_guardianship(request.user, appointment, v["reason"], on=v.get("on"),
                                  expected_version=v["version"])
        return Response(AppointmentSerializer(appointment).data)


class AssessmentList(ScopedListAPIView):
    """The age assessments of the cases whose facts you see, and those your service decided (``?case=``,
    ``?outcome=pending``); POST raises a doubt about age (any organisation that sees the case's facts)."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    queryset = AgeAssessment.objects.select_related("case", "organisation", "opened_by_organisation").order_by(
        "-opened_on", "-pk")

    @extend_schema(request=DoubtSerializer, responses={201: AssessmentSerializer})
    def post(self, request):
        body = DoubtSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        assessment = services.open_age_assessment(request.user, _case(request.user, v["case"]), v["doubt"],
                                                  on=v.get("on"))
        return Response(AssessmentSerializer(assessment).data, status=201)


class AssessmentDetail(ScopedRetrieveAPIView):
    serializer_class = AssessmentSerializer
    queryset = AgeAssessment.objects.select_related("case", "organisation", "opened_by_organisation")


class DecideAssessment(ScopedObjectAPIView):
    """Decide an age assessment: minor, adult or undetermined (the service that holds it)."""

    queryset = AgeAssessment.objects.select_related("case", "organisation", "opened_by_organisation")

    @extend_schema(request=DecideSerializer, responses={200: AssessmentSerializer})
    def post(self, request, pk):
        assessment = self.get_object()
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        services.decide_age_assessment(request.user, assessment, v["outcome"], on=v.get("on"),
                                       estimated_birth_year=v.get("estimated_birth_year"), note=v["note"],
                                       expected_version=v["version"])
        return Response(AssessmentSerializer(assessment).data)


class GuardianList(UnscopedView, generics.GenericAPIView):
    """The members of your guardianship services who may be appointed guardian."""

    reason = "the members of the caller's own guardianship services, not case data"
    queryset = User.objects.none()  # the rows are built from the caller's seats (and named for the schema)
    serializer_class = GuardianSerializer
    pagination_class = None  # a service's guardians, one list

    @extend_schema(responses=GuardianSerializer(many=True))
    def get(self, request):
        access, rows = context_for(request.user), []
        for organisation_id in dict.fromkeys(s.organisation_id for s in seats(request.user)
                                             if s.kind == OrganisationKind.GUARDIANSHIP and s.parts):
            organisation = access.organisation(organisation_id)
            rows += [{"id": user.pk, "name": services.name_of(user), "organisation": organisation.slug}
                     for user in services.guardians(organisation)]
        return Response(GuardianSerializer(rows, many=True).data)
