"""Pages of the justice chain. Reads go through ``haven.access.scope`` (the scoped bases of
``haven.core.generic``); writes through ``services``.

A form page catches only ``Invalid`` (to show its field errors next to the input); every other
refusal propagates to ``haven.core.middleware.ServiceErrorPages``, which says it on the page.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.access.scope import scope
from haven.cases.models import Case
from haven.core.errors import StaleEdit
from haven.core.generic import ScopedActionView, ScopedListView, ScopedObjectView, ScopedView, ServiceFormMixin

from . import services
from .filters import InvestigationFilter
from .forms import AppealForm, DecisionForm, InvestigationForm, LinkForm, ProsecutionForm, RequisitionsForm, SuspectForm
from .models import Appeal, CaseLink, Decision, Investigation, PersonOutcome, Prosecution
from .tables import InvestigationTable

STALE = gettext_lazy("Someone else changed this record since you opened the form. Nothing was saved: "
                     "reload the page to see their change, then apply yours again.")
PAGE_SIZE = 25


def _jurisdictions(user) -> list[int]:
    return list(user.memberships.values_list("organisation__jurisdiction_id", flat=True).distinct())


class JusticeForm(ServiceFormMixin):
    """A form page of the chain (``justice/form.html``): the service's call, its message, back to the investigation."""

    template_name = "justice/form.html"
    title = ""

    def submit(self, function, *args, **kwargs):
        """Call a service; a stale edit is said in the page's own words (nothing was saved, reload)."""
        try:
            return function(*args, **kwargs)
        except StaleEdit as exc:
            raise StaleEdit(STALE) from exc

    def investigation(self):
        return None

    def get_context_data(self, **context):
        return {"title": self.title, "investigation": self.investigation(), **context}

    def done(self, message, investigation_id):
        messages.success(self.request, message)
        return redirect("justice:investigation", pk=investigation_id)


class InvestigationListView(ScopedListView):
    queryset = Investigation.objects.select_related("district", "police_unit", "owner")
    filterset_class = InvestigationFilter
    table_class = InvestigationTable
    template_name = "justice/investigation_list.html"
    paginate_by = PAGE_SIZE

    def get_filterset(self, queryset):
        filters = InvestigationFilter(self.request.GET or None, queryset=queryset)
        district = filters.form.fields["district"]
        district.queryset = district.queryset.filter(jurisdiction_id__in=_jurisdictions(self.request.user))
        return filters

    def get_context_data(self, **context):
        return {**context, "can_open": bool(services.police_orgs(self.request.user))}


INVESTIGATION = Investigation.objects.select_related("district", "police_unit", "owner", "prosecution_office")


class InvestigationView(ScopedObjectView):
    queryset = INVESTIGATION

    def get(self, request, pk):
        investigation = self.get_object()
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


class InvestigationNewView(JusticeForm, ScopedView):
    """Open an investigation (police); it is visible from then on through the justice rule."""

    model = Investigation
    form_class = InvestigationForm
    title = gettext_lazy("Open an investigation")
    http_method_names = ["get", "post"]

    def get_form_kwargs(self):
        return {"jurisdiction_ids": _jurisdictions(self.request.user)}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        investigation = self.submit(services.open_investigation, self.request.user, **data)
        return self.done(_("The investigation was opened."), investigation.pk)


class InvestigationFormView(JusticeForm, ScopedActionView):
    queryset = INVESTIGATION

    def investigation(self):
        return self.get_object()


class InvestigationEditView(InvestigationFormView):
    form_class = InvestigationForm

    @property
    def title(self):
        return _("Edit investigation %(number)s") % {"number": self.get_object().file_number}

    def get_form_kwargs(self):
        investigation = self.get_object()
        initial = {"file_number": investigation.file_number, "district": investigation.district_id,
                   "opened": investigation.opened, "prosecution_office": investigation.prosecution_office_id,
                   "forms": investigation.form_list, "version": investigation.version}
        return {"initial": initial, "editing": True, "jurisdiction_ids": [investigation.owner.jurisdiction_id]}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        self.submit(services.update_investigation, self.request.user, self.get_object(), version, **data)
        return self.done(_("The investigation was saved."), self.get_object().pk)


class SuspectsAddView(InvestigationFormView):
    form_class = SuspectForm
    title = gettext_lazy("Add suspects")

    def form_valid(self, form):
        self.submit(services.record_suspects, self.request.user, self.get_object(), [form.cleaned_data])
        return self.done(_("The suspects were recorded."), self.get_object().pk)


class LinkAddView(InvestigationFormView):
    form_class = LinkForm
    title = gettext_lazy("Link a case")

    def form_valid(self, form):
        case = scope(Case.objects.all(), self.request.user).filter(reference=form.cleaned_data["case"].strip()).first()
        if case is None:
            form.add_error("case", _("No case with this reference is visible to you."))
            return None
        self.submit(services.link_case, self.request.user, self.get_object(), case)
        return self.done(_("The case was linked."), self.get_object().pk)


class ProsecutionNewView(InvestigationFormView):
    form_class = ProsecutionForm
    title = gettext_lazy("Open a prosecution")

    def form_valid(self, form):
        data = form.cleaned_data
        persons = [{"count": data["prosecuted"]}] if data.get("prosecuted") else []
        self.submit(services.open_prosecution, self.request.user, self.get_object(), opened=data["opened"],
                    charges=data["charges"], persons=persons)
        return self.done(_("The prosecution was opened."), self.get_object().pk)


class LinkRemoveView(ScopedObjectView):
    queryset = CaseLink.objects.filter(unlinked_at__isnull=True).select_related("investigation", "case")
    http_method_names = ["post"]

    def post(self, request, pk):
        link = self.get_object()
        services.unlink_case(request.user, link)
        messages.success(request, _("The case was unlinked."))
        return redirect("justice:investigation", pk=link.investigation_id)


class ProsecutionFormView(JusticeForm, ScopedActionView):
    queryset = Prosecution.objects.select_related("investigation")

    def investigation(self):
        return self.get_object().investigation


class RequisitionsView(ProsecutionFormView):
    form_class = RequisitionsForm
    title = gettext_lazy("Requisitions")

    def get_form_kwargs(self):
        prosecution = self.get_object()
        return {"initial": {"version": prosecution.version, "kept": True, "date": prosecution.requisitions_date}}

    def form_valid(self, form):
        data, prosecution = form.cleaned_data, self.get_object()
        self.submit(services.keep_thb_in_requisitions, self.request.user, prosecution, date=data["date"],
                    expected_version=data["version"], kept=data["kept"])
        return self.done(_("The requisitions were recorded."), prosecution.investigation_id)


class DecisionNewView(ProsecutionFormView):
    form_class = DecisionForm
    title = gettext_lazy("Record a court decision")

    def form_valid(self, form):
        data, prosecution = dict(form.cleaned_data), self.get_object()
        persons = [{"outcome": outcome, "count": data.pop(key) or 0}
                   for key, outcome in (("convicted", PersonOutcome.CONVICTED), ("acquitted", PersonOutcome.ACQUITTED))]
        self.submit(services.record_decision, self.request.user, prosecution,
                    persons=[p for p in persons if p["count"]], **data)
        return self.done(_("The decision was recorded."), prosecution.investigation_id)


class AppealNewView(JusticeForm, ScopedActionView):
    queryset = Decision.objects.select_related("prosecution__investigation")
    form_class = AppealForm
    title = gettext_lazy("Record an appeal")

    def investigation(self):
        return self.get_object().prosecution.investigation

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        self.submit(services.record_appeal, self.request.user, self.get_object(), **data)
        return self.done(_("The appeal was recorded."), self.investigation().pk)


class AppealEditView(JusticeForm, ScopedActionView):
    queryset = Appeal.objects.select_related("decision__prosecution__investigation")
    title = gettext_lazy("Record the appeal's outcome")

    def investigation(self):
        return self.get_object().decision.prosecution.investigation

    def get_form(self):
        appeal = self.get_object()
        form = AppealForm(self.request.POST or None, instance=None, initial={
            **{f: getattr(appeal, f) for f in AppealForm.Meta.fields}, "version": appeal.version})
        form.fields["version"].required = True
        return form

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        self.submit(services.update_appeal, self.request.user, self.get_object(), version, **data)
        return self.done(_("The appeal was saved."), self.investigation().pk)
