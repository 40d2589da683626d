"""Pages of requests between organisations: the list, a request and its answers, a new request on a case,
and the "Requests" section of the case page. Reads go through ``haven.access.scope`` (the scoped bases);
every change through ``services``; a refusal is said on the form and changes nothing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.access.scope import seats
from haven.cases.models import Case
from haven.core.errors import Invalid, Refused
from haven.core.generic import ScopedActionView, ScopedListView, ScopedObjectView
from haven.jurisdictions.models import JudicialDistrict, localized

from . import services
from .filtersets import RequestFilter
from .forms import AnswerForm, ConfirmForm, IssueForm, NewRequestForm, ReasonForm
from .models import DocumentRequest
from .tables import RequestTable

REQUESTS = DocumentRequest.objects.select_related(
    "case", "case__jurisdiction", "holder", "requested_by", "magistrate_office", "immigration_office", "document")

# The answers of a request page: the form each takes and what it says when done.
ANSWERS = {
    "cosign": (AnswerForm, gettext_lazy("Co-signed: the request goes on.")),
    "confirm": (ConfirmForm, gettext_lazy("Confirmed: the request goes to the deciding office.")),
    "refuse": (ReasonForm, gettext_lazy("Refused; the organisation that asked is told.")),
    "issue": (IssueForm, gettext_lazy("Issued: the document is on the case.")),
    "withdraw": (ReasonForm, gettext_lazy("Withdrawn.")),
}


def answer_label(answer: str) -> str:
    return {"cosign": _("Co-sign"), "confirm": _("Confirm"), "refuse": _("Refuse"),
            "issue": _("Issue the document"), "withdraw": _("Withdraw the request")}[answer]


def requests_section(request, case, parts) -> dict:
    """The "Requests" section of the case page: the case's requests the user may see, what each waits for,
    the answers given, the answers the user's organisation may give now, and a link to ask for one."""
    user = request.user
    rows = list(REQUESTS.filter(case=case).visible_to(user).prefetch_related("answers__organisation")
                .order_by("-requested_on", "-pk"))
    kinds = {s.kind for s in seats(user) if "summary" in s.parts}
    may_request = case.closed_at is None and any(rk.by & kinds for rk in services.kinds_of(case).values())
    return {"requests": [{"request": r, "name": services.request_name(r), "answers": list(r.answers.all()),
                          "open_to": [(a, answer_label(a)) for a in services.answers_open_to(user, r)]}
                         for r in rows],
            "may_request": may_request, "today": timezone.localdate()}


class RequestListView(ScopedListView):
    """The requests the user may see; filters: waiting for my organisation, made by it, stage, request."""

    queryset = REQUESTS.order_by("-requested_on", "-pk")
    filterset_class = RequestFilter
    table_class = RequestTable
    template_name = "residence/requests.html"


def auto_id(answer: str) -> str:
    """Each answer's form on the request page has its own element ids (the field names stay plain)."""
    return f"id_{answer}_%s"


def request_context(user, document_request, forms=None) -> dict:
    """What the request page shows, with a form for each answer the user may give (``forms`` keeps a bound
    one that came back with errors)."""
    forms = dict(forms or {})
    open_to = services.answers_open_to(user, document_request)
    initial = {"version": document_request.version}
    shown = []
    for answer in open_to:
        form_class, _done = ANSWERS[answer]
        shown.append((answer, answer_label(answer), forms.get(answer) or form_class(initial=initial,
                                                                                 auto_id=auto_id(answer))))
    return {"object": document_request, "name": services.request_name(document_request),
            "answers": document_request.answers.select_related("organisation").order_by("on", "pk"),
            "forms": shown, "today": timezone.localdate()}


class RequestPageView(ScopedObjectView):
    """A request: what is asked and on what grounds, who holds it, the answers, and the forms to answer."""

    queryset = REQUESTS

    def get(self, request, pk):
        return render(request, "residence/request.html", request_context(request.user, self.get_object()))


class AnswerView(ScopedActionView):
    """One answer posted from the request page; a refusal or bad input comes back on its form (400)."""

    queryset = REQUESTS
    http_method_names = ["post"]
    template_name = "residence/request.html"
    form_errors = (Invalid, Refused)
    answer = ""

    def get_form(self):
        form_class, _done = ANSWERS[self.answer]
        return form_class(self.request.POST or None, auto_id=auto_id(self.answer))

    def render_form(self, form):
        context = request_context(self.request.user, self.get_object(), {self.answer: form})
        if not any(answer == self.answer for answer, _label, _form in context["forms"]):
            context["forms"].append((self.answer, answer_label(self.answer), form))  # keep what was typed
        return render(self.request, self.template_name, context, status=400 if form.errors else 200)

    def form_valid(self, form):
        data, user, document_request = form.cleaned_data, self.request.user, self.get_object()
        common = {"expected_version": data["version"], "on": data.get("on")}
        if self.answer == "cosign":
            services.cosign(user, document_request, **common)
        elif self.answer == "confirm":
            services.confirm(user, document_request, note=data.get("note", ""), **common)
        elif self.answer == "refuse":
            services.refuse(user, document_request, data["reason"], **common)
        elif self.answer == "withdraw":
            services.withdraw(user, document_request, data["reason"], **common)
        else:
            services.issue(user, document_request, number=data["number"], commune=data["commune"],
                           valid_from=data.get("valid_from"), valid_until=data.get("valid_until"), **common)
        messages.success(self.request, ANSWERS[self.answer][1])
        if DocumentRequest.objects.filter(pk=document_request.pk).visible_to(user).exists():
            return redirect("residence-request", pk=document_request.pk)
        return redirect("residence-requests")  # the answer ended this organisation's sight of the request


class NewRequestView(ScopedActionView):
    """Ask for a document on a case: the kinds the user's organisations may request, each said possible now
    or why not; the judicial district is asked when the case has none."""

    queryset = Case.objects.select_related("owner", "jurisdiction", "district")
    template_name = "residence/new_request.html"
    form_class = NewRequestForm
    form_errors = (Invalid, Refused)

    def requestable(self):
        if not hasattr(self, "_requestable"):
            self._requestable = services.requestable(self.request.user, self.get_object())
        return self._requestable

    def get_form(self):
        case = self.get_object()
        kinds = [(rk.key, localized(rk.name)) for rk, refusal in self.requestable() if not refusal]
        districts = None
        if case.district_id is None:
            districts = [(d.code, str(d))
                         for d in JudicialDistrict.objects.filter(jurisdiction_id=case.jurisdiction_id)]
        return NewRequestForm(self.request.POST or None, kinds=kinds, districts=districts,
                              initial={"on": timezone.localdate()})

    def get_context_data(self, **context):
        unavailable = [(localized(rk.name), refusal) for rk, refusal in self.requestable() if refusal]
        return {"case": self.get_object(), "unavailable": unavailable, **context}

    def form_valid(self, form):
        data = form.cleaned_data
        made = services.request_document(self.request.user, self.get_object(), data["kind"], grounds=data["grounds"],
                                         district=data.get("district") or None, on=data.get("on"))
        messages.success(self.request, _("Request sent to %(holder)s.") % {"holder": made.holder.name})
        return redirect("residence-request", pk=made.pk)
