"""The cases API (``/api/v1/``): case list and page, signals, screenings, transitions, referrals,
services, status, reopening, identity, subject access, history. Rules are in ``haven.cases.actions``;
every read goes through ``haven.access.scope`` (the scoped bases of ``haven.core.api_generic``).
Errors are problem+json (``haven.core.api``)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from haven.access.scope import parts_for, scope
from haven.audit.models import Action, Purpose
from haven.audit.services import record
from haven.core.actor import Actor
from haven.core.api_generic import ScopedAPIView, ScopedListAPIView, ScopedObjectAPIView, ScopedRetrieveAPIView
from haven.core.errors import Invalid
from haven.organisations.models import Organisation
from haven.persons.services import STATED_PURPOSES

from .. import services as identity_services
from ..actions import closure, procedure, referrals, screening, signals, support
from ..filtersets import CaseFilter
from ..models import Case, Referral
from ..presenters import timeline_lines
from .serializers import (
    AnswerSerializer,
    CaseSummarySerializer,
    HistoryEntry,
    IdentitySerializer,
    PersonMatch,
    ReferralSerializer,
    ReferSerializer,
    ReopenSerializer,
    ScreeningSerializer,
    ServiceSerializer,
    SignalSerializer,
    StatusSerializer,
    TransitionSerializer,
)

PURPOSE = OpenApiParameter("purpose", str, required=True, enum=[p.value for p in STATED_PURPOSES],
                           description="Why the identity is opened (written to the access log).")


class IdentityView(ScopedObjectAPIView):
    """The identity of a case's person. Every call writes one access-log row with the stated purpose."""

    queryset = Case.objects.select_related("person", "owner")
    part = "identity"
    http_method_names = ["get", "options"]

    @extend_schema(parameters=[PURPOSE, OpenApiParameter("reason", str)], responses=IdentitySerializer)
    def get(self, request, pk):
        case = self.get_object()
        purpose = request.query_params.get("purpose", "")
        if purpose not in STATED_PURPOSES:
            raise serializers.ValidationError({"purpose": _("State the purpose: one of %(choices)s.") % {
                "choices": ", ".join(STATED_PURPOSES)}})
        shown = identity_services.reveal_identity(Actor.from_request(request), case, purpose,
                                                  request.query_params.get("reason", ""),
                                                  path=request.path)
        return Response(IdentitySerializer(shown).data)


class SubjectAccessView(ScopedObjectAPIView):
    """Everything the owning organisation holds about the case's person (subject access), logged."""

    model = Case
    http_method_names = ["get", "options"]

    def get_object(self):
        # only the owning organisation answers subject access: the service adds that to the scope
        return identity_services.case_for_subject_access(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(identity_services.subject_access_export(Actor.from_request(request), self.get_object(),
                                                                path=request.path))


class HistoryView(ScopedObjectAPIView):
    """Who changed what in a case (scoped like the case)."""

    model = Case
    http_method_names = ["get", "options"]
    pagination_class = None  # the whole history, one list (the schema said a page)

    @extend_schema(responses=HistoryEntry(many=True))
    def get(self, request, pk):
        case = self.get_object()
        rows = scope(Case.history.model.objects.filter(id=case.pk), request.user).select_related(
            "history_user").order_by("-history_date")
        record(Actor.from_request(request), Action.HISTORY, Purpose.CASEWORK, case=case, path=request.path)
        return Response(HistoryEntry(rows, many=True).data)


class PersonSearch(ScopedAPIView):
    """Persons visible to you whose names or aliases contain every word of ``name`` (blind index; the service
    keeps to the cases you may see)."""

    model = Case
    http_method_names = ["get", "options"]
    pagination_class = None  # the service returns every match, one list (the schema said a page)

    @extend_schema(parameters=[OpenApiParameter("name", str, required=True)], responses=PersonMatch(many=True))
    def get(self, request):
        name = request.query_params.get("name", "").strip()
        if not name:
            raise serializers.ValidationError({"name": _("Give a name to search for.")})
        return Response(identity_services.search_persons(Actor.from_request(request), name,
                                                         path=request.path))


class CaseList(ScopedListAPIView):
    serializer_class = CaseSummarySerializer
    filterset_class = CaseFilter
    queryset = Case.objects.select_related("owner", "region").order_by("-created", "-pk")

    @extend_schema(request=None, responses=CaseSummarySerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SignalSerializer, responses={201: CaseSummarySerializer})
    def post(self, request):
        body = SignalSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = data.pop("organisation")
        case = signals.record_signal(request.user, organisation, **data)
        return Response(CaseSummarySerializer(case, context={"request": request}).data, status=201)


def case_detail_data(user, case) -> dict:
    parts = parts_for(user, case)
    data = CaseSummarySerializer(case, context={"request": type("R", (), {"user": user})()}).data
    data["parts"] = sorted(parts)
    data["district"] = case.district.code if case.district_id else None
    data["status_decided_by"] = case.status_decided_by.slug if case.status_decided_by_id else None
    data["status_decided_on"] = case.status_decided_on
    data["timeline"] = timeline_lines(user, case)
    data["actions"] = [{"action": o.action, "name": o.name, "allowed": o.allowed, "reason": o.reason,
                        "params": o.params or {}} for o in procedure.options(user, case)]
    if "documents" in parts:
        data["documents"] = [
            {**{key: value for key, value in row.items() if key != "issued_by__slug"},
             "issued_by": row["issued_by__slug"]}
            for row in case.documents.values("id", "kind", "number", "issued_by__slug", "commune", "valid_from",
                                             "valid_until", "extensions", "ended_on")]
    data["deadlines"] = [{"kind": d.kind, "due_on": d.due_on, "organisation": d.organisation.slug}
                         for d in case.deadlines.filter(done_on__isnull=True).select_related("organisation")
                         .visible_to(user)]
    data["referrals"] = [{"id": r.id, "kind": r.kind, "purpose": r.purpose, "from": r.from_organisation.slug,
                          "to": r.to_organisation.slug, "status": r.status, "consent": r.consent,
                          "referred_on": r.referred_on, "answer_due": r.answer_due}
                         for r in case.referrals.visible_to(user).select_related("from_organisation",
                                                                                 "to_organisation")]
    if "facts" in parts:
        data["screenings"] = list(case.screenings.visible_to(user).values(
            "id", "screened_on", "exploitation_form", "age_group", "indicator_set", "set_version", "verification",
            "fallback", "reading", "dimensions", "legal_test", "legal_elements", "legal_test_met"))
    if "psychosocial" in parts:
        data["services"] = list(case.services.visible_to(user).values(
            "id", "kind", "provider", "planned_start", "planned_end", "actual_start", "actual_end"))
    return data




class CaseDetail(ScopedRetrieveAPIView):
    queryset = Case.objects.select_related("owner", "region", "jurisdiction", "district", "status_decided_by")

    @extend_schema(responses=CaseSummarySerializer)
    def get(self, request, pk):
        return Response(case_detail_data(request.user, self.get_object()))


class TransitionsView(ScopedObjectAPIView):
    model = Case

    @extend_schema(request=TransitionSerializer, responses={200: CaseSummarySerializer})
    def post(self, request, pk):
        case = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        procedure.apply_transition(request.user, case, v["action"], on=v.get("on"),
                                   expected_version=v["version"], **(v.get("params") or {}))
        return Response(case_detail_data(request.user, case))


class TraffickingStatusView(ScopedObjectAPIView):
    model = Case

    @extend_schema(request=StatusSerializer, responses={200: CaseSummarySerializer})
    def post(self, request, pk):
        case = self.get_object()
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        screening.set_trafficking_status(request.user, case, v["status"], on=v.get("on"),
                                         expected_version=v["version"])
        return Response(case_detail_data(request.user, case))


class ReopenView(ScopedObjectAPIView):
    model = Case

    @extend_schema(request=ReopenSerializer, responses={200: CaseSummarySerializer})
    def post(self, request, pk):
        case = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        closure.reopen_case(request.user, case, on=v.get("on"), reason=v.get("reason", ""),
                            expected_version=v["version"])
        return Response(case_detail_data(request.user, case))


class ScreeningsView(ScopedObjectAPIView):
    """GET: the indicator set a screening of this case would use; POST: record a screening."""

    model = Case
    part = "facts"
    http_method_names = ["get", "post", "options"]

    @extend_schema(request=None, responses={200: None})
    def get(self, request, pk):
        case = self.get_object()
        form = request.query_params.get("form") or ("sexual" if "sexual" in case.form_set else "labour")
        the_set = screening.indicator_set(form, case.minor)
        return Response({"indicator_set": the_set.key, "requested": the_set.requested, "version": the_set.version,
                         "verification": the_set.verification, "rule_status": the_set.rule_status,
                         "fallback": the_set.fallback,
                         "indicators": [vars(i) for i in the_set.indicators]})

    @extend_schema(request=ScreeningSerializer, responses={201: None})
    def post(self, request, pk):
        case = self.get_object()
        body = ScreeningSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        result = screening.screen(request.user, case, v["indicators"], form=v.get("form"),
                                  legal_elements=v.get("legal_elements"), on=v.get("on"))
        return Response({"id": result.pk, "reading": result.reading, "dimensions": result.dimensions,
                         "indicator_set": result.indicator_set, "set_version": result.set_version,
                         "verification": result.verification, "fallback": result.fallback,
                         "legal_test": result.legal_test, "legal_test_met": result.legal_test_met}, status=201)


class ReferView(ScopedObjectAPIView):
    model = Case

    @extend_schema(request=ReferSerializer, responses={201: None})
    def post(self, request, pk):
        case = self.get_object()
        body = ReferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        if v.get("to"):
            to = Organisation.objects.filter(jurisdiction_id=case.jurisdiction_id, slug=v["to"]).first()
            if to is None:
                raise Invalid(field_errors={"to": [_("Unknown organisation.")]}, code="unknown_organisation")
            made = [referrals.refer(request.user, case, to, kind=v["kind"], purpose=v["purpose"],
                                    consent=v["consent"], override_reason=v["override_reason"], note=v["note"],
                                    on=v.get("on"))]
        else:
            made = referrals.route_case(request.user, case, consent=v["consent"],
                                        override_reason=v["override_reason"], on=v.get("on"))
        return Response([{"id": r.pk, "to": r.to_organisation.slug, "purpose": r.purpose, "status": r.status,
                          "answer_due": r.answer_due} for r in made], status=201)


class ReferralList(ScopedListAPIView):
    """Referrals you sent or received (``?status=pending`` for those waiting for an answer)."""

    serializer_class = ReferralSerializer
    filterset_fields = ["status", "purpose", "kind"]
    queryset = Referral.objects.select_related("case", "from_organisation", "to_organisation").order_by(
        "-referred_on", "-pk")


class AnswerReferralView(ScopedObjectAPIView):
    queryset = Referral.objects.select_related("case")

    @extend_schema(request=AnswerSerializer, responses={200: None})
    def post(self, request, pk):
        referral = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        if v["answer"] == "accept":
            referrals.accept_referral(request.user, referral, on=v.get("on"), note=v["reason"])
        elif v["answer"] == "decline":
            referrals.decline_referral(request.user, referral, v["reason"], on=v.get("on"))
        else:
            referrals.revoke_referral(request.user, referral, v["reason"], on=v.get("on"))
        referral.refresh_from_db()
        return Response({"id": referral.pk, "status": referral.status})


class CaseServicesView(ScopedObjectAPIView):
    model = Case
    part = "psychosocial"

    @extend_schema(request=ServiceSerializer, responses={201: None})
    def post(self, request, pk):
        case = self.get_object()
        body = ServiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = dict(body.validated_data)
        service = support.add_service(request.user, case, v.pop("kind"), **v)
        return Response({"id": service.pk, "kind": service.kind}, status=201)
