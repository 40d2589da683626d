from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from haven.access.scope import get_visible_or_404, scope
from haven.audit.models import Action, Purpose
from haven.audit.services import record

from . import services
from .models import Case


class IdentitySerializer(serializers.Serializer):
    family_name = serializers.CharField(allow_null=True)
    given_names = serializers.CharField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), allow_null=True)
    birth_date = serializers.DateField(allow_null=True)
    citizenships = serializers.ListField(child=serializers.CharField(), allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), allow_null=True)
    contact = serializers.DictField(allow_null=True)
    identity_documents = serializers.ListField(child=serializers.DictField(), allow_null=True)


PURPOSE = OpenApiParameter("purpose", str, required=True, enum=[p.value for p in services.STATED_PURPOSES],
                           description="Why the identity is opened (written to the access log).")


@extend_schema(parameters=[PURPOSE, OpenApiParameter("reason", str)], responses=IdentitySerializer)
@api_view(["GET"])
def identity(request, pk):
    """The identity of a case's person. Every call writes one access-log row with the stated purpose."""
    case = services.case_for_identity(request.user, pk)
    purpose = request.query_params.get("purpose", "")
    if purpose not in services.STATED_PURPOSES:
        raise serializers.ValidationError({"purpose": _("State the purpose: one of %(choices)s.") % {
            "choices": ", ".join(services.STATED_PURPOSES)}})
    shown = services.reveal_identity(request._request, case, purpose, request.query_params.get("reason", ""))
    return Response(IdentitySerializer(shown).data)


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def subject_access(request, pk):
    """Everything the owning organisation holds about the case's person (subject access), logged."""
    case = services.case_for_subject_access(request.user, pk)
    return Response(services.subject_access_export(request._request, case))


class HistoryEntry(serializers.Serializer):
    date = serializers.DateTimeField(source="history_date")
    change = serializers.CharField(source="get_history_type_display")
    by = serializers.CharField(source="history_user.username", default="")
    owner = serializers.IntegerField(source="owner_id")
    closed = serializers.DateTimeField(source="closed_at")
    version = serializers.IntegerField()


@extend_schema(responses=HistoryEntry(many=True))
@api_view(["GET"])
def history(request, pk):
    """Who changed what in a case (scoped like the case)."""
    case = get_visible_or_404(Case, request.user, pk=pk)
    rows = scope(Case.history.model.objects.filter(id=case.pk), request.user).select_related(
        "history_user").order_by("-history_date")
    record(request._request, Action.HISTORY, Purpose.CASEWORK, case=case)
    return Response(HistoryEntry(rows, many=True).data)


class PersonMatch(serializers.Serializer):
    person = serializers.IntegerField()
    cases = serializers.ListField(child=serializers.DictField())


@extend_schema(parameters=[OpenApiParameter("name", str, required=True)], responses=PersonMatch(many=True))
@api_view(["GET"])
def person_search(request):
    """Persons visible to you whose names or aliases contain every word of ``name`` (blind index)."""
    name = request.query_params.get("name", "").strip()
    if not name:
        raise serializers.ValidationError({"name": _("Give a name to search for.")})
    return Response(services.search_persons(request._request, request.user, name))
