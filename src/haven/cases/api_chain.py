"""The case chain's API (``/api/v1/``): case list and page, signals, screenings, transitions,
referrals, services, status, reopening. Rules are in ``haven.cases.chain``; everything goes through
``haven.access.scope``. A stale ``version`` is a 409, a refused action a 422 (problem+json)."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from haven.access.scope import get_visible_or_404, parts_for, scope, visible_cases
from haven.organisations.models import Organisation

from .chain import Refused, closure, deadlines, procedure, referrals, screening, signals, support
from .models import Case, ExploitationForm, IsicSection, Referral, StaleEdit, SupportService
from .presenters import timeline_lines


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed the case since you read it; read it again."
    default_code = "stale"


class ActionRefused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "refused"


def _run(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except StaleEdit:
        raise Conflict() from None
    except Refused as exc:
        raise ActionRefused(exc.message, exc.code) from None


# --- case list --------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    state = django_filters.CharFilter()
    exploitation_form = django_filters.ChoiceFilter(choices=ExploitationForm.choices, method="by_form")
    region = django_filters.CharFilter(field_name="region__code")
    minor = django_filters.BooleanFilter()
    owner = django_filters.CharFilter(field_name="owner__slug")
    detected_after = django_filters.DateFilter(field_name="detected_on", lookup_expr="gte")
    detected_before = django_filters.DateFilter(field_name="detected_on", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(method="by_overdue")
    closed = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Case
        fields = []

    def by_form(self, queryset, name, value):
        # only among the cases whose facts the user may see: the filter must not reveal facts
        user = self.request.user
        return queryset.filter(exploitation_forms__contains=f",{value},",
                               pk__in=visible_cases(user, "facts").values("pk"))

    def by_overdue(self, queryset, name, value):
        late = deadlines.overdue_cases(timezone.localdate())
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


class CaseSummarySerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    exploitation_forms = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "reference", "state", "owner", "region", "minor", "unaccompanied", "detected_on",
                  "trafficking_status", "closed_at", "close_reason", "version", "exploitation_forms", "sector", "url"]

    def get_exploitation_forms(self, case) -> list[str] | None:
        return sorted(case.form_set) if "facts" in self._parts(case) else None

    def get_url(self, case) -> str:
        return f"/api/v1/cases/{case.pk}/"

    def _parts(self, case):
        cache = self.context.setdefault("_parts", {})
        if case.pk not in cache:
            cache[case.pk] = parts_for(self.context["request"].user, case)
        return cache[case.pk]

    def to_representation(self, case):
        data = super().to_representation(case)
        if "facts" not in self._parts(case):
            data["sector"] = None
        return data


class SignalSerializer(serializers.Serializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(),
                                                help_text="Slug of your organisation that records the signal.")
    detected_on = serializers.DateField()
    region = serializers.CharField(help_text="Region code of the profile.")
    place = serializers.CharField(required=False, allow_blank=True)
    observations = serializers.CharField(required=False, allow_blank=True)
    exploitation_forms = serializers.ListField(child=serializers.ChoiceField(ExploitationForm.choices),
                                               required=False)
    sector = serializers.ChoiceField(IsicSection.choices, required=False, allow_blank=True)
    minor = serializers.BooleanField(required=False, default=False)
    unaccompanied = serializers.BooleanField(required=False, default=False)
    person = serializers.DictField(required=False, help_text="Identity fields if known (identity vault).")

    def validate_organisation(self, organisation):
        user = self.context["request"].user
        if not user.memberships.filter(organisation=organisation).exists():
            raise serializers.ValidationError("You are not a member of this organisation.")
        return organisation


class CaseList(ListAPIView):
    serializer_class = CaseSummarySerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return scope(Case.objects.select_related("owner", "region"), self.request.user).order_by("-created", "-pk")

    @extend_schema(request=None, responses=CaseSummarySerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SignalSerializer, responses={201: CaseSummarySerializer})
    def post(self, request):
        body = SignalSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = data.pop("organisation")
        case = _run(signals.record_signal, request.user, organisation, **data)
        return Response(CaseSummarySerializer(case, context={"request": request}).data, status=201)


# --- one case -----------------------------------------------------------------------------------


def case_detail_data(user, case) -> dict:
    parts = parts_for(user, case)
    data = CaseSummarySerializer(case, context={"request": type("R", (), {"user": user})()}).data
    data["parts"] = sorted(parts)
    data["timeline"] = timeline_lines(user, case)
    data["actions"] = [{"action": o.action, "name": o.name, "allowed": o.allowed, "reason": o.reason,
                        "params": o.params or {}} for o in procedure.options(user, case)]
    if "documents" in parts:
        data["documents"] = list(case.documents.values("id", "kind", "valid_from", "valid_until", "extensions",
                                                       "ended_on"))
    data["deadlines"] = [{"kind": d.kind, "due_on": d.due_on, "organisation": d.organisation.slug}
                         for d in scope(case.deadlines.filter(done_on__isnull=True).select_related("organisation"),
                                        user)]
    data["referrals"] = [{"id": r.id, "kind": r.kind, "purpose": r.purpose, "from": r.from_organisation.slug,
                          "to": r.to_organisation.slug, "status": r.status, "consent": r.consent,
                          "referred_on": r.referred_on, "answer_due": r.answer_due}
                         for r in scope(case.referrals.select_related("from_organisation", "to_organisation"), user)]
    if "facts" in parts:
        data["screenings"] = list(scope(case.screenings.all(), user).values(
            "id", "screened_on", "exploitation_form", "age_group", "indicator_set", "set_version", "verification",
            "fallback", "reading", "dimensions", "legal_test", "legal_elements", "legal_test_met"))
    if "psychosocial" in parts:
        data["services"] = list(scope(case.services.all(), user).values(
            "id", "kind", "provider", "planned_start", "planned_end", "actual_start", "actual_end"))
    return data


@extend_schema(responses=CaseSummarySerializer)
@api_view(["GET"])
def case_detail(request, pk):
    case = get_visible_or_404(Case.objects.select_related("owner", "region", "jurisdiction"), request.user, pk=pk)
    return Response(case_detail_data(request.user, case))


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    version = serializers.IntegerField(help_text="The case version you read; a stale one is refused (409).")
    on = serializers.DateField(required=False, help_text="Date of the step (default: today).")
    params = serializers.DictField(child=serializers.CharField(), required=False)


@extend_schema(request=TransitionSerializer, responses={200: CaseSummarySerializer})
@api_view(["POST"])
def transitions(request, pk):
    case = get_visible_or_404(Case, request.user, pk=pk)
    body = TransitionSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = body.validated_data
    _run(procedure.apply_transition, request.user, case, v["action"], on=v.get("on"),
         expected_version=v["version"], **(v.get("params") or {}))
    return Response(case_detail_data(request.user, case))


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(["presumed", "identified"])
    version = serializers.IntegerField()
    on = serializers.DateField(required=False)


@extend_schema(request=StatusSerializer, responses={200: CaseSummarySerializer})
@api_view(["POST"])
def trafficking_status(request, pk):
    case = get_visible_or_404(Case, request.user, pk=pk)
    body = StatusSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = body.validated_data
    _run(screening.set_trafficking_status, request.user, case, v["status"], on=v.get("on"),
         expected_version=v["version"])
    return Response(case_detail_data(request.user, case))


class ReopenSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True)
    on = serializers.DateField(required=False)


@extend_schema(request=ReopenSerializer, responses={200: CaseSummarySerializer})
@api_view(["POST"])
def reopen(request, pk):
    case = get_visible_or_404(Case, request.user, pk=pk)
    body = ReopenSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = body.validated_data
    _run(closure.reopen_case, request.user, case, on=v.get("on"), reason=v.get("reason", ""),
         expected_version=v["version"])
    return Response(case_detail_data(request.user, case))


class ScreeningSerializer(serializers.Serializer):
    indicators = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    form = serializers.ChoiceField(ExploitationForm.choices, required=False)
    legal_elements = serializers.DictField(child=serializers.BooleanField(), required=False)
    on = serializers.DateField(required=False)


@extend_schema(request=ScreeningSerializer, responses={201: None})
@api_view(["GET", "POST"])
def screenings(request, pk):
    case = get_visible_or_404(Case, request.user, part="facts", pk=pk)
    if request.method == "GET":
        form = request.query_params.get("form") or ("sexual" if "sexual" in case.form_set else "labour")
        the_set = screening.indicator_set(form, case.minor)
        return Response({"indicator_set": the_set.key, "requested": the_set.requested, "version": the_set.version,
                         "verification": the_set.verification, "rule_status": the_set.rule_status,
                         "fallback": the_set.fallback,
                         "indicators": [vars(i) for i in the_set.indicators]})
    body = ScreeningSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = body.validated_data
    result = _run(screening.screen, request.user, case, v["indicators"], form=v.get("form"),
                  legal_elements=v.get("legal_elements"), on=v.get("on"))
    return Response({"id": result.pk, "reading": result.reading, "dimensions": result.dimensions,
                     "indicator_set": result.indicator_set, "set_version": result.set_version,
                     "verification": result.verification, "fallback": result.fallback,
                     "legal_test": result.legal_test, "legal_test_met": result.legal_test_met}, status=201)


class ReferSerializer(serializers.Serializer):
    to = serializers.CharField(required=False, help_text="Organisation slug; omit to route by the profile.")
    kind = serializers.ChoiceField(Referral.Kind.choices, default="referral")
    purpose = serializers.ChoiceField(Referral.Purpose.choices, default="reception")
    consent = serializers.ChoiceField(Referral.Consent.choices)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


@extend_schema(request=ReferSerializer, responses={201: None})
@api_view(["POST"])
def refer(request, pk):
    case = get_visible_or_404(Case, request.user, pk=pk)
    body = ReferSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = body.validated_data
    if v.get("to"):
        to = Organisation.objects.filter(jurisdiction_id=case.jurisdiction_id, slug=v["to"]).first()
        if to is None:
            raise ActionRefused("Unknown organisation.", "to")
        made = [_run(referrals.refer, request.user, case, to, kind=v["kind"], purpose=v["purpose"],
                     consent=v["consent"], override_reason=v["override_reason"], note=v["note"], on=v.get("on"))]
    else:
        made = _run(referrals.route_case, request.user, case, consent=v["consent"],
                    override_reason=v["override_reason"], on=v.get("on"))
    return Response([{"id": r.pk, "to": r.to_organisation.slug, "purpose": r.purpose, "status": r.status,
                      "answer_due": r.answer_due} for r in made], status=201)


class ReferralSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    from_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "case", "case_reference", "kind", "purpose", "from_organisation", "to_organisation", "status",
                  "consent", "referred_on", "answer_due", "decided_on", "decision_reason"]


class ReferralList(ListAPIView):
    """Referrals you sent or received (``?status=pending`` for those waiting for an answer)."""

    serializer_class = ReferralSerializer
    filterset_fields = ["status", "purpose", "kind"]

    def get_queryset(self):
        return scope(Referral.objects.select_related("case", "from_organisation", "to_organisation"),
                     self.request.user).order_by("-referred_on", "-pk")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(["accept", "decline", "revoke"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


@extend_schema(request=AnswerSerializer, responses={200: None})
@api_view(["POST"])
def answer_referral(request, pk):
    referral = get_visible_or_404(Referral.objects.select_related("case"), request.user, pk=pk)
    body = AnswerSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = body.validated_data
    if v["answer"] == "accept":
        _run(referrals.accept_referral, request.user, referral, on=v.get("on"), note=v["reason"])
    elif v["answer"] == "decline":
        _run(referrals.decline_referral, request.user, referral, v["reason"], on=v.get("on"))
    else:
        _run(referrals.revoke_referral, request.user, referral, v["reason"], on=v.get("on"))
    referral.refresh_from_db()
    return Response({"id": referral.pk, "status": referral.status})


class ServiceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(SupportService.Kind.choices)
    provider = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    shelter_address = serializers.CharField(required=False, allow_blank=True, default="",
                                            help_text="Secret: only your centre will see it.")
    planned_start = serializers.DateField(required=False)
    planned_end = serializers.DateField(required=False)
    actual_start = serializers.DateField(required=False)
    actual_end = serializers.DateField(required=False)


@extend_schema(request=ServiceSerializer, responses={201: None})
@api_view(["POST"])
def services(request, pk):
    case = get_visible_or_404(Case, request.user, part="psychosocial", pk=pk)
    body = ServiceSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    v = dict(body.validated_data)
    service = _run(support.add_service, request.user, case, v.pop("kind"), **v)
    return Response({"id": service.pk, "kind": service.kind}, status=201)

