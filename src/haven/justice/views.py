"""Pages of the justice chain. Reads go through ``haven.access.scope``; writes through ``services``.

A form page catches only ``Invalid`` (to show its field errors next to the input); every other
refusal propagates to ``haven.core.middleware.ServiceErrorPages``, which says it on the page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from haven.access.scope import get_visible_or_404, scope
from haven.cases.models import Case
from haven.core.errors import Invalid, StaleEdit

from . import services
from .filters import InvestigationFilter
from .forms import AppealForm, DecisionForm, InvestigationForm, LinkForm, ProsecutionForm, RequisitionsForm, SuspectForm
from .models import Appeal, CaseLink, Decision, Investigation, PersonOutcome, Prosecution

STALE = gettext_lazy("Someone else changed this record since you opened the form. Nothing was saved: "
                     "reload the page to see their change, then apply yours again.")
PAGE_SIZE = 25


def _jurisdictions(user) -> list[int]:
    return list(user.memberships.values_list("organisation__jurisdiction_id", flat=True).distinct())


def _submit(form, function, *args, **kwargs):
    """Call a service. ``Invalid`` goes onto ``form`` (field by field) and gives None; anything else
    propagates to ``ServiceErrorPages``."""
    try:
        return function(*args, **kwargs)
    except Invalid as exc:
        for field, errors in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, errors)
        if not exc.field_errors:
            form.add_error(None, exc.message)
        return None
    except StaleEdit as exc:
        # the page's own words, which its catalogue translates: nothing was saved, reload and apply again
        raise StaleEdit(STALE) from exc


def _form_page(request, form, title, investigation=None):
    return render(request, "justice/form.html", {"form": form, "title": title, "investigation": investigation},
                  status=400 if form.errors else 200)


def investigation_list(request):
    queryset = scope(Investigation.objects.all(), request.user).select_related("district", "police_unit", "owner")
    filters = InvestigationFilter(request.GET or None, queryset=queryset)
    filters.form.fields["district"].queryset = filters.form.fields["district"].queryset.filter(
        jurisdiction_id__in=_jurisdictions(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "justice/investigation_list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
        "can_open": bool(services.police_orgs(request.user)),
    })


def _investigation(request, pk):
    return get_visible_or_404(Investigation.objects.select_related("district", "police_unit", "owner",
                                                                   "prosecution_office"), request.user, pk=pk)


def investigation_detail(request, pk):
    investigation = _investigation(request, pk)
    prosecutions = investigation.prosecutions.select_related("organisation").prefetch_related(
        "persons", "decisions__persons", "decisions__appeals")
    user = request.user
    return render(request, "justice/investigation_detail.html", {
        "investigation": investigation,
        "suspects": investigation.suspects.all(),
        "prosecutions": [(p, services.can_write_prosecution(user, p)) for p in prosecutions],
        "links": investigation.links.filter(unlinked_at__isnull=True).select_related("case"),
        "can_edit": services.can_write_investigation(user, investigation),
        "can_prosecute": services.can_prosecute(user, investigation),
        "can_link": services.can_link(user, investigation),
    })


@require_http_methods(["GET", "POST"])
def investigation_new(request):
    form = InvestigationForm(request.POST or None, jurisdiction_ids=_jurisdictions(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        investigation = _submit(form, services.open_investigation, request.user, **data)
        if investigation:
            messages.success(request, _("The investigation was opened."))
            return redirect("justice:investigation", pk=investigation.pk)
    return _form_page(request, form, _("Open an investigation"))


@require_http_methods(["GET", "POST"])
def investigation_edit(request, pk):
    investigation = _investigation(request, pk)
    initial = {"file_number": investigation.file_number, "district": investigation.district_id,
               "opened": investigation.opened, "prosecution_office": investigation.prosecution_office_id,
               "forms": investigation.form_list, "version": investigation.version}
    form = InvestigationForm(request.POST or None, initial=initial, editing=True,
                             jurisdiction_ids=[investigation.owner.jurisdiction_id])
    title = _("Edit investigation %(number)s") % {"number": investigation.file_number}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if _submit(form, services.update_investigation, request.user, investigation, version, **data):
            messages.success(request, _("The investigation was saved."))
            return redirect("justice:investigation", pk=pk)
    return _form_page(request, form, title, investigation=investigation)


@require_http_methods(["GET", "POST"])
def suspects_add(request, pk):
    investigation = _investigation(request, pk)
    form = SuspectForm(request.POST or None)
    title = _("Add suspects")
    if request.method == "POST" and form.is_valid():
        if _submit(form, services.record_suspects, request.user, investigation, [form.cleaned_data]) is not None:
            messages.success(request, _("The suspects were recorded."))
            return redirect("justice:investigation", pk=pk)
    return _form_page(request, form, title, investigation=investigation)


@require_http_methods(["GET", "POST"])
def link_add(request, pk):
    investigation = _investigation(request, pk)
    form = LinkForm(request.POST or None)
    title = _("Link a case")
    if request.method == "POST" and form.is_valid():
        case = scope(Case.objects.all(), request.user).filter(reference=form.cleaned_data["case"].strip()).first()
        if case is None:
            form.add_error("case", _("No case with this reference is visible to you."))
        elif _submit(form, services.link_case, request.user, investigation, case):
            messages.success(request, _("The case was linked."))
            return redirect("justice:investigation", pk=pk)
    return _form_page(request, form, title, investigation=investigation)


@require_POST
def link_remove(request, pk):
    link = get_visible_or_404(CaseLink.objects.filter(unlinked_at__isnull=True).select_related("investigation", "case"),
                              request.user, pk=pk)
    services.unlink_case(request.user, link)
    messages.success(request, _("The case was unlinked."))
    return redirect("justice:investigation", pk=link.investigation_id)


@require_http_methods(["GET", "POST"])
def prosecution_new(request, pk):
    investigation = _investigation(request, pk)
    form = ProsecutionForm(request.POST or None)
    title = _("Open a prosecution")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        persons = [{"count": data["prosecuted"]}] if data.get("prosecuted") else []
        if _submit(form, services.open_prosecution, request.user, investigation, opened=data["opened"],
                   charges=data["charges"], persons=persons):
            messages.success(request, _("The prosecution was opened."))
            return redirect("justice:investigation", pk=pk)
    return _form_page(request, form, title, investigation=investigation)


def _prosecution(request, pk):
    return get_visible_or_404(Prosecution.objects.select_related("investigation"), request.user, pk=pk)


@require_http_methods(["GET", "POST"])
def requisitions(request, pk):
    prosecution = _prosecution(request, pk)
    form = RequisitionsForm(request.POST or None, initial={
        "version": prosecution.version, "kept": True, "date": prosecution.requisitions_date})
    title = _("Requisitions")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _submit(form, services.keep_thb_in_requisitions, request.user, prosecution, date=data["date"],
                   expected_version=data["version"], kept=data["kept"]):
            messages.success(request, _("The requisitions were recorded."))
            return redirect("justice:investigation", pk=prosecution.investigation_id)
    return _form_page(request, form, title, investigation=prosecution.investigation)


@require_http_methods(["GET", "POST"])
def decision_new(request, pk):
    prosecution = _prosecution(request, pk)
    form = DecisionForm(request.POST or None)
    title = _("Record a court decision")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        persons = [{"outcome": outcome, "count": data.pop(key) or 0}
                   for key, outcome in (("convicted", PersonOutcome.CONVICTED), ("acquitted", PersonOutcome.ACQUITTED))]
        if _submit(form, services.record_decision, request.user, prosecution,
                   persons=[p for p in persons if p["count"]], **data):
            messages.success(request, _("The decision was recorded."))
            return redirect("justice:investigation", pk=prosecution.investigation_id)
    return _form_page(request, form, title, investigation=prosecution.investigation)


@require_http_methods(["GET", "POST"])
def appeal_new(request, pk):
    decision = get_visible_or_404(Decision.objects.select_related("prosecution__investigation"), request.user, pk=pk)
    form = AppealForm(request.POST or None)
    investigation = decision.prosecution.investigation
    title = _("Record an appeal")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if _submit(form, services.record_appeal, request.user, decision, **data):
            messages.success(request, _("The appeal was recorded."))
            return redirect("justice:investigation", pk=investigation.pk)
    return _form_page(request, form, title, investigation=investigation)


@require_http_methods(["GET", "POST"])
def appeal_edit(request, pk):
    appeal = get_visible_or_404(Appeal.objects.select_related("decision__prosecution__investigation"),
                                request.user, pk=pk)
    investigation = appeal.decision.prosecution.investigation
    form = AppealForm(request.POST or None, instance=None, initial={
        **{f: getattr(appeal, f) for f in AppealForm.Meta.fields}, "version": appeal.version})
    form.fields["version"].required = True
    title = _("Record the appeal's outcome")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if _submit(form, services.update_appeal, request.user, appeal, version, **data):
            messages.success(request, _("The appeal was saved."))
            return redirect("justice:investigation", pk=investigation.pk)
    return _form_page(request, form, title, investigation=investigation)
