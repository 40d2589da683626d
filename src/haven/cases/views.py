from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from haven.access.scope import get_visible_or_404, parts_for, scope
from haven.audit.models import Action, Purpose
from haven.audit.services import record

from . import services
from .forms import PurposeForm, SearchForm
from .models import Case, CaseShare


@never_cache
@require_http_methods(["GET", "POST"])
def identity(request, pk):
    """A person's identity, shown only after the member states why (each showing is logged)."""
    case = services.case_for_identity(request.user, pk)
    form = PurposeForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        shown = services.reveal_identity(request, case, form.cleaned_data["purpose"], form.cleaned_data["reason"])
    return render(request, "cases/identity.html", {"case": case, "form": form, "identity": shown},
                  status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def subject_access(request, pk):
    """Download everything the owning organisation holds about the case's person (logged)."""
    case = services.case_for_subject_access(request.user, pk)
    if request.method == "GET":
        return render(request, "cases/subject_access.html", {"case": case})
    response = HttpResponse(services.to_json(services.subject_access_export(request, case)),
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
        results = services.search_persons(request, request.user, form.cleaned_data["name"])
    return render(request, "cases/search.html", {"form": form, "results": results})
