"""Pages of cases: the list, the signal, the case page and its steps, identity, subject access, history.

Every read goes through ``haven.access.scope`` (the scoped bases of ``haven.core.generic``); every change
through ``haven.cases.actions``; a refusal or a stale version is said on the page and changes nothing."""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from haven.access.scope import parts_for, scope, seats
from haven.audit.models import Action, Purpose
from haven.audit.services import record
from haven.core.actor import Actor
from haven.core.generic import ScopedActionView, ScopedListView, ScopedObjectView, ScopedView, ServiceFormMixin
from haven.jurisdictions.models import Region, localized
from haven.organisations.models import Organisation

from . import services
from .actions import Refused, closure, procedure, referrals, screening, signals, support
from .filtersets import CaseFilter
from .forms import PurposeForm, ReferForm, ScreeningForm, SearchForm, ServiceForm, SignalForm, TransitionForm
from .models import Case, CaseShare, Referral, ShelterAddress, StaleEdit
from .presenters import reading_label, status_label, timeline_lines
from .tables import CaseTable


@method_decorator(never_cache, name="dispatch")
class IdentityView(ScopedObjectView):
    """A person's identity, shown only after the member states why (each showing is logged)."""

    queryset = Case.objects.select_related("person", "owner")
    part = "identity"
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        return self.show(PurposeForm(None))

    def post(self, request, pk):
        return self.show(PurposeForm(request.POST or None))

    def show(self, form):
        case = self.get_object()
        shown = None
        if form.is_bound and form.is_valid():
            shown = services.reveal_identity(Actor.from_request(self.request), case, form.cleaned_data["purpose"],
                                             form.cleaned_data["reason"], path=self.request.get_full_path())
        return render(self.request, "cases/identity.html", {"case": case, "form": form, "identity": shown},
                      status=400 if form.errors else 200)


@method_decorator(never_cache, name="dispatch")
class SubjectAccessView(ScopedObjectView):
    """Download everything the owning organisation holds about the case's person (logged)."""

    model = Case
    http_method_names = ["get", "post"]

    def get_object(self):
        # only the owning organisation answers subject access: the service adds that to the scope
        return services.case_for_subject_access(self.request.user, self.kwargs["pk"])

    def get(self, request, pk):
        return render(request, "cases/subject_access.html", {"case": self.get_object()})

    def post(self, request, pk):
        case = self.get_object()
        export = services.subject_access_export(Actor.from_request(request), case, path=request.path)
        response = HttpResponse(services.to_json(export), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subject-access-{case.reference}.json"'
        return response


@method_decorator(never_cache, name="dispatch")
class HistoryView(ScopedObjectView):
    """Who changed what in a case (scoped like the case; no identity)."""

    model = Case

    def get(self, request, pk):
        case = self.get_object()
        rows = scope(Case.history.model.objects.filter(id=case.pk), request.user).select_related(
            "history_user").order_by("-history_date")
        shares = scope(CaseShare.history.model.objects.filter(case_id=case.pk), request.user).select_related(
            "history_user", "organisation").order_by("-history_date")
        record(Actor.from_request(request), Action.HISTORY, Purpose.CASEWORK, case=case, path=request.path)
        return render(request, "cases/history.html", {"case": case, "rows": rows, "shares": shares,
                                                      "parts": parts_for(request.user, case)})


@method_decorator(never_cache, name="dispatch")
class SearchView(ScopedView):
    """Find a person by name or alias (blind index): answers with case references only (the service scopes)."""

    model = Case
    http_method_names = ["get"]

    def get(self, request):
        form = SearchForm(request.GET or None)
        results = None
        if form.is_bound and form.is_valid():
            results = services.search_persons(Actor.from_request(request), form.cleaned_data["name"],
                                              path=request.path)
        return render(request, "cases/search.html", {"form": form, "results": results})


def _stale(request):
    messages.error(request, _("Someone else changed this case since you opened it. Nothing was saved: read it "
                              "again and redo."))


class CaseListView(ScopedListView):
    """The cases the user may see; with htmx a filter replaces the table alone (``_results.html``)."""

    queryset = Case.objects.select_related("owner", "region", "jurisdiction").order_by("-created", "-pk")
    filterset_class = CaseFilter
    table_class = CaseTable
    template_name = "cases/chain/list.html"
    htmx_template_name = "cases/chain/_results.html"


class SignalView(ServiceFormMixin, ScopedView):
    """Record a signal: it opens a case of one of the user's organisations that may record facts."""

    model = Case
    part = "facts"
    form_class = SignalForm
    template_name = "cases/chain/signal.html"
    form_errors = (Refused,)
    http_method_names = ["get", "post"]

    def get_form_kwargs(self):
        ids = [s.organisation_id for s in seats(self.request.user) if self.part in s.parts]
        organisations = Organisation.objects.filter(pk__in=ids)
        jurisdictions = organisations.values("jurisdiction_id")
        regions = [(r.code, localized(r.name)) for r in Region.objects.filter(jurisdiction_id__in=jurisdictions)]
        return {"organisations": organisations, "regions": regions, "initial": {"detected_on": timezone.localdate()}}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        person = {k: data.pop(k) for k in ("family_name", "given_names", "birth_date") if data.get(k)}
        for k in ("family_name", "given_names", "birth_date"):
            data.pop(k, None)
        organisation = data.pop("organisation")
        case = signals.record_signal(self.request.user, organisation, person=person, **data)
        messages.success(self.request, _("Signal recorded: case %(reference)s.") % {"reference": case.reference})
        return redirect("case-page", pk=case.pk)


# Sections that apps above cases add to the case page (``register_case_section``, from their ``ready()``):
# a template, included with ``section`` = what ``context(request, case, parts)`` returns (None: not shown).
CASE_SECTIONS: list[tuple[str, Callable]] = []


def register_case_section(template_name: str, context: Callable) -> None:
    if all(existing != template_name for existing, _context in CASE_SECTIONS):
        CASE_SECTIONS.append((template_name, context))


def status_choices(user, spec) -> list[tuple[str, str]]:
    """The trafficking statuses one of the user's organisations may decide (the profile's ``status_deciders``)."""
    kinds = {s.kind for s in seats(user) if "summary" in s.parts}
    return [(status, status_label(status)) for status, deciders in spec.status_deciders.items() if deciders & kinds]


class CasePageView(ScopedObjectView):
    queryset = Case.objects.select_related("owner", "region", "jurisdiction", "status_decided_by", "district")

    def get(self, request, pk):
        user = request.user
        case = self.get_object()
        parts = parts_for(user, case)
        spec = procedure.spec_for(case.jurisdiction)
        context = {
            "case": case, "parts": parts, "state": procedure.name_of(spec, "state", case.state),
            "timeline": timeline_lines(user, case), "options": procedure.options(user, case),
            "status": status_label(case.trafficking_status),
            "deadlines": case.deadlines.filter(done_on__isnull=True).visible_to(user),
            "referrals": case.referrals.select_related("from_organisation", "to_organisation").visible_to(user),
            "my_organisations": {s.organisation_id for s in seats(user)},
            "today": timezone.localdate(),
            "status_choices": status_choices(user, spec),
        }
        if "documents" in parts:
            context["documents"] = [(procedure.name_of(spec, "document", d.kind), d)
                                    for d in case.documents.select_related("issued_by")]
        if "facts" in parts:
            context["screenings"] = [(s, reading_label(s.reading)) for s in case.screenings.visible_to(user)]
        if "psychosocial" in parts:
            context["services"] = case.services.visible_to(user)
            context["shelters"] = {a.service_id: a.address for a in ShelterAddress.objects.filter(case=case)
                                   .visible_to(user)}
        for option in context["options"]:
            option.choices = [(v, procedure.name_of(spec, "label", v))
                              for v in (option.params or {}).get("reason", [])]
        context["sections"] = [{"template": template, **found} for template, section in CASE_SECTIONS
                               if (found := section(request, case, parts)) is not None]
        return render(request, "cases/chain/case.html", context)


class CaseStepView(ScopedObjectView):
    """A step posted from the case page: done, refused or stale, it is said there and the case page comes back."""

    queryset = Case.objects.select_related("owner", "region", "jurisdiction")
    http_method_names = ["post"]
    success_message = ""

    def step(self, case) -> bool:
        """Apply the step; False when the input was incomplete (already said)."""
        raise NotImplementedError(f"{type(self).__qualname__} applies its step in step()")

    def post(self, request, pk):
        case = self.get_object()
        try:
            done = self.step(case)
        except StaleEdit:
            _stale(request)
        except Refused as exc:
            messages.error(request, _("Refused, nothing was changed: %(reason)s") % {"reason": exc.message})
        except ValueError:  # a posted field that is not what the form sends (never Python's text on the page)
            messages.error(request, _("The form was incomplete; nothing was changed."))
        else:
            if done and self.success_message:
                messages.success(request, self.success_message)
        return redirect("case-page", pk=pk)


class TransitionView(CaseStepView):
    success_message = gettext_lazy("Done.")

    def step(self, case):
        form = TransitionForm(self.request.POST)
        if not form.is_valid():
            messages.error(self.request, _("The form was incomplete; nothing was changed."))
            return False
        data = form.cleaned_data
        params = {"reason": data["reason"]} if data.get("reason") else {}
        procedure.apply_transition(self.request.user, case, data["action"], on=data.get("on"),
                                   expected_version=data["version"], **params)
        return True


def posted_version(request) -> int:
    """The case version the form was read at; a forged or missing one is an incomplete form."""
    version = request.POST.get("version", "")
    if not version.isdigit():
        raise ValueError("version")
    return int(version)


class StatusView(CaseStepView):
    def step(self, case):
        screening.set_trafficking_status(self.request.user, case, self.request.POST.get("status", ""),
                                         expected_version=posted_version(self.request))
        return True


class ReopenView(CaseStepView):
    def step(self, case):
        closure.reopen_case(self.request.user, case, reason=self.request.POST.get("reason", ""),
                            expected_version=posted_version(self.request))
        return True


class CaseFormView(ScopedActionView):
    """A form page of one case; the chain's refusals are shown on the form."""

    queryset = Case.objects.select_related("owner", "region", "jurisdiction")
    form_errors = (Refused,)
    http_method_names = ["get", "post"]

    def get_context_data(self, **context):
        return {"case": self.get_object(), **context}

    def done(self, message):
        messages.success(self.request, message)
        return redirect("case-page", pk=self.get_object().pk)


class ScreeningView(CaseFormView):
    part = "facts"
    form_class = ScreeningForm
    template_name = "cases/chain/screening.html"

    def form_name(self) -> str:
        case = self.get_object()
        return self.request.POST.get("form") or self.request.GET.get("form") or (
            "sexual" if "sexual" in case.form_set else "labour")

    def indicator_set(self):
        if not hasattr(self, "_set"):
            self._set = screening.indicator_set(self.form_name(), self.get_object().minor)
        return self._set

    def get_form_kwargs(self):
        return {"indicator_choices": [(i.id, i.name) for i in self.indicator_set().indicators],
                "initial": {"form": self.form_name()}}

    def form_valid(self, form):
        data = form.cleaned_data
        result = screening.screen(self.request.user, self.get_object(), data["indicators"], form=data["form"],
                                  legal_elements={k: data[k] for k in ("act", "means", "purpose")})
        return self.done(_("Screening recorded: %(reading)s.") % {"reading": reading_label(result.reading)})

    def get_context_data(self, **context):
        form, the_set = context["form"], self.indicator_set()
        chosen = set(form["indicators"].value() or [])
        labels = screening.indicator_data()["source"]["dimensions"]
        by_dimension = the_set.by_dimension()
        dimensions = [(key, labels[key], [(i, i.id in chosen) for i in by_dimension[key]]) for key in by_dimension]
        return super().get_context_data(set=the_set, dimensions=dimensions,
                                        legal_test=self.get_object().jurisdiction.get_legal_test_display(), **context)


class ReferView(CaseFormView):
    form_class = ReferForm
    template_name = "cases/chain/refer.html"

    def get_form_kwargs(self):
        case = self.get_object()
        return {"organisations": Organisation.objects.filter(jurisdiction_id=case.jurisdiction_id, active=True)}

    def form_valid(self, form):
        data, case, user = form.cleaned_data, self.get_object(), self.request.user
        if data["to"]:
            referrals.refer(user, case, data["to"], kind=data["kind"], purpose=data["purpose"],
                            consent=data["consent"], override_reason=data["override_reason"], note=data["note"],
                            on=data.get("on"))
        else:
            referrals.route_case(user, case, consent=data["consent"], override_reason=data["override_reason"],
                                 on=data.get("on"))
        return self.done(_("Referral sent."))


class ServiceView(CaseFormView):
    part = "psychosocial"
    form_class = ServiceForm
    template_name = "cases/chain/service.html"

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        support.add_service(self.request.user, self.get_object(), data.pop("kind"), **data)
        return self.done(_("Service added to the support plan."))


class AnswerReferralView(ScopedObjectView):
    """A referral sent or received: accept, decline or revoke it."""

    queryset = Referral.objects.select_related("case", "from_organisation", "to_organisation")
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        return render(request, "cases/chain/referral.html", {"referral": self.get_object()})

    def post(self, request, pk):
        referral = self.get_object()
        answer, reason = request.POST.get("answer"), request.POST.get("reason", "")
        try:
            on = datetime.date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None
            if answer == "accept":
                referrals.accept_referral(request.user, referral, note=reason, on=on)
            elif answer == "decline":
                referrals.decline_referral(request.user, referral, reason, on=on)
            else:
                referrals.revoke_referral(request.user, referral, reason, on=on)
        except ValueError:
            messages.error(request, _("Give a valid date."))
        except Refused as exc:
            messages.error(request, _("Refused, nothing was changed: %(reason)s") % {"reason": exc.message})
        else:
            messages.success(request, _("Done."))
        if not scope(Case.objects.filter(pk=referral.case_id), request.user).exists():
            return redirect("home")
        return redirect("case-page", pk=referral.case_id)
