"""The API of requests between organisations, under ``/api/v1/residence/``: list and read the requests you may
see, make one on a case, and answer it (co-sign, confirm, refuse, issue, withdraw) at the ``version`` you
read. Rules are in ``services``; reads go through ``haven.access.scope``; refusals are problem+json with
their ``code`` (400 invalid, 404 out of scope, 409 someone answered first, 422 refused)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from haven.access.context import context_for
from haven.cases.models import Case
from haven.core.api_generic import ScopedListAPIView, ScopedObjectAPIView, ScopedRetrieveAPIView

from . import services
from .filtersets import RequestFilter
from .models import DocumentRequest, RequestAnswer

REQUESTS = DocumentRequest.objects.select_related(
    "case", "case__jurisdiction", "holder", "requested_by", "magistrate_office", "immigration_office", "document",
    "document__issued_by").prefetch_related("answers__organisation")


class AnswerRowSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # a plain string in the schema: other apps' ``outcome`` enums would collide with this one's name
    outcome = serializers.CharField(read_only=True, help_text=", ".join(RequestAnswer.Outcome.values))

    class Meta:
        model = RequestAnswer
        fields = ["stage", "outcome", "organisation", "on", "reason"]


class IssuedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    commune = serializers.CharField()
    issued_by = serializers.CharField(source="issued_by.slug", allow_null=True, default=None)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class RequestSerializer(serializers.ModelSerializer):
    """A request as its reader may see it; the document issued only to who sees the case's documents."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    name = serializers.SerializerMethodField()
    holder = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    requested_by = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    magistrate_office = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    immigration_office = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    answers = AnswerRowSerializer(many=True, read_only=True)
    document = serializers.SerializerMethodField()
    open_to = serializers.SerializerMethodField(help_text="The answers you may give now.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentRequest
        fields = ["id", "version", "case", "case_reference", "kind", "name", "action", "stage", "holder", "due_on",
                  "grounds", "requested_by", "requested_on", "magistrate_office", "immigration_office", "closed_on",
                  "answers", "document", "open_to", "url"]

    def get_name(self, request) -> str:
        return services.request_name(request)

    def _parts(self, request):
        cache = self.context.setdefault("_parts", {})
        if request.case_id not in cache:
            batch = self.parent.instance if isinstance(self.parent, serializers.ListSerializer) else None
            cases = [r.case for r in batch] if batch else [request.case]
            cache.update(context_for(self.context["request"].user).parts_for_many(cases))
        return cache[request.case_id]

    @extend_schema_field(IssuedDocumentSerializer(allow_null=True))
    def get_document(self, request):
        if request.document_id is None or "documents" not in self._parts(request):
            return None
        return IssuedDocumentSerializer(request.document).data

    def get_open_to(self, request) -> list[str]:
        if "_guardians" not in self.context:
            batch = self.parent.instance if isinstance(self.parent, serializers.ListSerializer) else None
            self.context["_guardians"] = services.guardians_of(list(batch) if batch else [request])
        return services.answers_open_to(self.context["request"].user, request, self.context["_guardians"])

    def get_url(self, request) -> str:
        return f"/api/v1/residence/requests/{request.pk}/"


class NewRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="A request of the profile's procedure (e.g. provisional_stay).")
    grounds = serializers.CharField(help_text="What the request rests on.")
    district = serializers.CharField(required=False, allow_blank=True,
                                     help_text="Judicial district code, when the case has none yet.")
    on = serializers.DateField(required=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The request version you read; a stale one is refused (409).")
    on = serializers.DateField(required=False, help_text="Date of the answer (default: today).")


class ConfirmSerializer(VersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(VersionSerializer):
    reason = serializers.CharField(help_text="Why (shown on the case's timeline).")


class IssueSerializer(VersionSerializer):
    number = serializers.CharField(max_length=40)
    commune = serializers.CharField(max_length=100, help_text="The commune that hands the document over.")
    valid_from = serializers.DateField(required=False, help_text="Default: the date of the decision.")
    valid_until = serializers.DateField(required=False, help_text="Default: the duration the procedure sets.")


class RequestList(ScopedListAPIView):
    """Requests you may see (``?waiting=true``: waiting for your organisation; ``?mine=true``: made by it)."""

    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    queryset = REQUESTS.order_by("-requested_on", "-pk")


class RequestDetail(ScopedRetrieveAPIView):
    serializer_class = RequestSerializer
    queryset = REQUESTS


class CaseRequests(ScopedObjectAPIView):
    """Make a request on a case (your organisation must be one the profile lets make it)."""

    queryset = Case.objects.select_related("jurisdiction", "district")

    @extend_schema(request=NewRequestSerializer, responses={201: RequestSerializer})
    def post(self, request, pk):
        case = self.get_object()
        body = NewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        v = body.validated_data
        made = services.request_document(request.user, case, v["kind"], grounds=v["grounds"],
                                         district=v.get("district") or None, on=v.get("on"))
        return Response(RequestSerializer(REQUESTS.get(pk=made.pk), context={"request": request}).data, status=201)


class AnswerAPI(ScopedObjectAPIView):
    """One answer to a request; 409 when someone answered it since you read ``version``."""

    queryset = REQUESTS
    answer = ""
    body = VersionSerializer

    def answered(self, user, document_request, data):
        common = {"expected_version": data["version"], "on": data.get("on")}
        if self.answer == "cosign":
            return services.cosign(user, document_request, **common)
        if self.answer == "confirm":
            return services.confirm(user, document_request, note=data.get("note", ""), **common)
        if self.answer == "refuse":
            return services.refuse(user, document_request, data["reason"], **common)
        if self.answer == "withdraw":
            return services.withdraw(user, document_request, data["reason"], **common)
        return services.issue(user, document_request, number=data["number"], commune=data["commune"],
                              valid_from=data.get("valid_from"), valid_until=data.get("valid_until"), **common)

    def post(self, request, pk):
        document_request = self.get_object()
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        answered = self.answered(request.user, document_request, body.validated_data)
        return Response(RequestSerializer(REQUESTS.get(pk=answered.pk), context={"request": request}).data)


def answer_view(answer: str, body, summary: str):
    """The endpoint of one answer, documented with its own body."""

    class View(AnswerAPI):
        __doc__ = summary

        @extend_schema(request=body, responses={200: RequestSerializer},
                       operation_id=f"v1_residence_requests_{answer}_create")
        def post(self, request, pk):
            return super().post(request, pk)

    View.answer, View.body = answer, body
    View.__name__ = View.__qualname__ = f"{answer.capitalize()}RequestAPI"
    return View


ANSWER_VIEWS = {
    "cosign": answer_view("cosign", VersionSerializer, "The child's guardian co-signs the request."),
    "confirm": answer_view("confirm", ConfirmSerializer,
                           "The magistrate confirms: the person is still treated as a victim, the file is open, "
                           "the person cooperates."),
    "refuse": answer_view("refuse", ReasonSerializer, "The organisation holding the request refuses it, saying why."),
    "issue": answer_view("issue", IssueSerializer,
                         "The deciding office issues the document: its number, issuing commune and dates."),
    "withdraw": answer_view("withdraw", ReasonSerializer, "The requesting organisation withdraws its request."),
}
