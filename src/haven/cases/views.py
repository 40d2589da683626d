"""Pages of cases: the list, the signal, the case page and its steps, identity, subject access, history.

Every read goes through ``haven.access.scope``; every change through ``haven.cases.actions``; a refusal or a
stale version is said on the page and changes nothing."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.access.scope import get_visible_or_404, parts_for, scope, seats
from haven.audit.models import Action, Purpose
from haven.audit.services import record
from haven.core.actor import Actor
from haven.jurisdictions.models import Region, localized
from haven.organisations.models import Organisation

from . import services
from .actions import Refused, closure, procedure, referrals, screening, signals, support
from .filtersets import CaseFilter
from .forms import PurposeForm, ReferForm, ScreeningForm, SearchForm, ServiceForm, SignalForm, TransitionForm
from .models import Case, CaseShare, ExploitationForm, Referral, ShelterAddress, StaleEdit
from .presenters import reading_label, status_label, timeline_lines


@never_cache
@require_http_methods(["GET", "POST"])
def identity(request, pk):
    """A person's identity, shown only after the member states why (each showing is logged)."""
    case = services.case_for_identity(request.user, pk)
    form = PurposeForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        shown = services.reveal_identity(Actor.from_request(request), case, form.cleaned_data["purpose"],
                                         form.cleaned_data["reason"], path=request.get_full_path())
    return render(request, "cases/identity.html", {"case": case, "form": form, "identity": shown},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def subject_access(request, pk):
    """Download everything the owning organisation holds about the case's person (logged)."""
    case = services.case_for_subject_access(request.user, pk)
    if request.method == "GET":
        return render(request, "cases/subject_access.html", {"case": case})
    export = services.subject_access_export(Actor.from_request(request), case, path=request.get_full_path())
    response = HttpResponse(services.to_json(export),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{case.reference}.json"'
    return response


@never_cache
@require_GET
def history(request, pk):
    """Who changed what in a case (scoped like the case; no identity)."""
    case = get_visible_or_404(Case, request.user, pk=pk)
    rows = scope(Case.history.model.objects.filter(id=case.pk), request.user).select_related(
        "history_user").order_by("-history_date")
    shares = scope(CaseShare.history.model.objects.filter(case_id=case.pk), request.user).select_related(
        "history_user", "organisation").order_by("-history_date")
    record(request, Action.HISTORY, Purpose.CASEWORK, case=case)
    return render(request, "cases/history.html", {"case": case, "rows": rows, "shares": shares,
                                                  "parts": parts_for(request.user, case)})


@never_cache
@require_GET
def search(request):
    """Find a person by name or alias (blind index): answers with case references only."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = services.search_persons(Actor.from_request(request), form.cleaned_data["name"],
                                          path=request.get_full_path())
    return render(request, "cases/search.html", {"form": form, "results": results})


def _stale(request):
    messages.error(request, _("Someone else changed this case since you opened it. Nothing was saved: read it "
                              "again and redo."))


def case_list(request):
    queryset = Case.objects.select_related("owner", "region", "jurisdiction").visible_to(request.user)
    queryset = queryset.order_by("-created", "-pk")
    filters = CaseFilter(request.GET or None, queryset=queryset, request=request)
    page = Paginator(filters.qs, 25).get_page(request.GET.get("page"))
    procedure.name_states(page)
    query = request.GET.copy()
    query.pop("page", None)
    # htmx asks for the results only, to replace them in place as a filter changes.
    template = "cases/chain/_results.html" if request.htmx else "cases/chain/list.html"
    return render(request, template, {
        "filters": filters, "page": page, "query": query.urlencode(), "forms": ExploitationForm.choices,
        "today": timezone.localdate()})


def _organisations_for_signal(user):
    ids = [s.organisation_id for s in seats(user) if "facts" in s.parts]
    return Organisation.objects.filter(pk__in=ids)


@require_http_methods(["GET", "POST"])
def signal(request):
    organisations = _organisations_for_signal(request.user)
    jurisdictions = organisations.values("jurisdiction_id")
    regions = [(r.code, localized(r.name)) for r in Region.objects.filter(jurisdiction_id__in=jurisdictions)]
    form = SignalForm(request.POST or None, organisations=organisations, regions=regions,
                      initial={"detected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = {k: data.pop(k) for k in ("family_name", "given_names", "birth_date") if data.get(k)}
        for k in ("family_name", "given_names", "birth_date"):
            data.pop(k, None)
        organisation = data.pop("organisation")
        try:
            case = signals.record_signal(request.user, organisation, person=person, **data)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Signal recorded: case %(reference)s.") % {"reference": case.reference})
            return redirect("case-page", pk=case.pk)
    return render(request, "cases/chain/signal.html", {"form": form}, status=400 if form.errors else 200)


def _case(request, pk, part=None):
    return get_visible_or_404(Case.objects.select_related("owner", "region", "jurisdiction"), request.user,
                              part=part, pk=pk)


def case_page(request, pk):
    user = request.user
    case = get_visible_or_404(Case.objects.select_related("owner", "region", "jurisdiction", "status_decided_by"),
                              user, pk=pk)
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
    }
    if "documents" in parts:
        context["documents"] = [(procedure.name_of(spec, "document", d.kind), d) for d in case.documents.all()]
    if "facts" in parts:
        context["screenings"] = [(s, reading_label(s.reading)) for s in case.screenings.visible_to(user)]
    if "psychosocial" in parts:
        context["services"] = case.services.visible_to(user)
        context["shelters"] = {a.service_id: a.address for a in ShelterAddress.objects.filter(case=case)
                               .visible_to(user)}
    for option in context["options"]:
        option.choices = [(v, procedure.name_of(spec, "label", v)) for v in (option.params or {}).get("reason", [])]
    return render(request, "cases/chain/case.html", context)


@require_POST
def transition(request, pk):
    case = _case(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("case-page", pk=pk)
    data = form.cleaned_data
    params = {"reason": data["reason"]} if data.get("reason") else {}
    try:
        procedure.apply_transition(request.user, case, data["action"], on=data.get("on"),
                                   expected_version=data["version"], **params)
    except StaleEdit:
        _stale(request)
    except Refused as exc:
        messages.error(request, _("Refused, nothing was changed: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("Done."))
    return redirect("case-page", pk=pk)


@require_POST
def status(request, pk):
    case = _case(request, pk)
    try:
        screening.set_trafficking_status(request.user, case, request.POST.get("status", ""),
                                         expected_version=int(request.POST.get("version", 0)))
    except StaleEdit:
        _stale(request)
    except (Refused, ValueError) as exc:
        messages.error(request, _("Refused, nothing was changed: %(reason)s") % {"reason": str(exc)})
    return redirect("case-page", pk=pk)


@require_POST
def reopen(request, pk):
    case = _case(request, pk)
    try:
        closure.reopen_case(request.user, case, reason=request.POST.get("reason", ""),
                            expected_version=int(request.POST.get("version", 0)))
    except StaleEdit:
        _stale(request)
    except (Refused, ValueError) as exc:
        messages.error(request, _("Refused, nothing was changed: %(reason)s") % {"reason": str(exc)})
    return redirect("case-page", pk=pk)


@require_http_methods(["GET", "POST"])
def screening_page(request, pk):
    case = _case(request, pk, part="facts")
    form_name = request.POST.get("form") or request.GET.get("form") or (
        "sexual" if "sexual" in case.form_set else "labour")
    the_set = screening.indicator_set(form_name, case.minor)
    choices = [(i.id, i.name) for i in the_set.indicators]
    form = ScreeningForm(request.POST or None, indicator_choices=choices, initial={"form": form_name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = screening.screen(request.user, case, data["indicators"], form=data["form"],
                                      legal_elements={k: data[k] for k in ("act", "means", "purpose")})
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Screening recorded: %(reading)s.") % {"reading": reading_label(
                result.reading)})
            return redirect("case-page", pk=pk)
    chosen = set(form["indicators"].value() or [])
    labels = screening.indicator_data()["source"]["dimensions"]
    by_dimension = the_set.by_dimension()
    dimensions = [(key, labels[key], [(i, i.id in chosen) for i in by_dimension[key]]) for key in by_dimension]
    return render(request, "cases/chain/screening.html", {
        "case": case, "form": form, "set": the_set, "dimensions": dimensions,
        "legal_test": case.jurisdiction.get_legal_test_display()}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def refer(request, pk):
    case = _case(request, pk)
    organisations = Organisation.objects.filter(jurisdiction_id=case.jurisdiction_id, active=True)
    form = ReferForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["to"]:
                referrals.refer(request.user, case, data["to"], kind=data["kind"], purpose=data["purpose"],
                                consent=data["consent"], override_reason=data["override_reason"], note=data["note"],
                                on=data.get("on"))
            else:
                referrals.route_case(request.user, case, consent=data["consent"],
                                     override_reason=data["override_reason"], on=data.get("on"))
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("case-page", pk=pk)
    return render(request, "cases/chain/refer.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def answer_referral(request, pk):
    referral = get_visible_or_404(Referral.objects.select_related("case", "from_organisation", "to_organisation"),
                                  request.user, pk=pk)
    if request.method == "GET":
        return render(request, "cases/chain/referral.html", {"referral": referral})
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


@require_http_methods(["GET", "POST"])
def service(request, pk):
    case = _case(request, pk, part="psychosocial")
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            support.add_service(request.user, case, data.pop("kind"), **data)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Service added to the support plan."))
            return redirect("case-page", pk=pk)
    return render(request, "cases/chain/service.html", {"case": case, "form": form},
                  status=400 if form.errors else 200)
