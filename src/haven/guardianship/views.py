"""Pages of a child's guardianship and of a doubt about age, under ``/guardianship/cases/<case id>/``.

Reads go through ``haven.access.scope`` (the scoped bases of ``haven.core.generic``): another organisation
gets 404. Writes go through ``services``; a form's field errors are shown on the page (400) and every other
refusal (not allowed, stale version) is said by ``haven.core.middleware.ServiceErrorPages``. Nothing changes
when a step is refused.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from haven.cases.models import Case
from haven.core.errors import Refused
from haven.core.generic import ScopedActionView, ScopedObjectView

from . import services
from .forms import AppointForm, DecideForm, DoubtForm, EndForm
from .models import AgeAssessment

CASES = Case.objects.select_related("owner", "jurisdiction")
TEMPLATE = "guardianship/case.html"


def section(user, case, **bound) -> dict:
    """What the guardianship section of ``case`` shows ``user``, and the forms they may use (``bound``: a
    posted form shown again with its errors)."""
    service = services.service_of(user, case)
    appointments = list(case.guardian_appointments.visible_to(user).select_related("guardian", "organisation")
                        .order_by("-appointed_on", "-pk"))
    current = next((a for a in appointments if a.ended_on is None), None)
    assessments = list(AgeAssessment.objects.filter(case=case).visible_to(user)
                       .select_related("organisation", "opened_by_organisation").order_by("-opened_on", "-pk"))
    pending = next((a for a in assessments if a.outcome == AgeAssessment.Outcome.PENDING), None)
    context = {"case": case, "service": service, "current": current,
               "past": [a for a in appointments if a.ended_on is not None], "assessments": assessments,
               "pending": pending}
    open_case = case.closed_at is None
    if service is not None and case.minor and open_case:
        context["appoint_form"] = AppointForm(initial={"version": case.version},
                                              guardians=services.guardians(service))
        if current is not None and current.organisation_id == service.pk:
            context["end_form"] = EndForm(initial={"version": case.version})
    if pending is None and open_case and services.may_raise_doubt(user, case):
        context["doubt_form"] = DoubtForm()
    if pending is not None and open_case and services.may_decide(user, pending):
        context["decide_form"] = DecideForm(initial={"version": pending.version})
    context.update(bound)
    return context


def case_page_section(request, case, parts) -> dict:
    """The guardian appointed now, on the case page (``haven.cases.views.register_case_section``): one query,
    and a link to this app's page of the case, with the age assessments and the forms."""
    current = (case.guardian_appointments.visible_to(request.user).filter(ended_on__isnull=True)
               .select_related("guardian", "organisation").first())
    return {"current": current, "url": reverse("guardianship-case", args=[case.pk])}


class GuardianshipCaseView(ScopedObjectView):
    """The child's guardian and the age assessments of one case (the case's summary is enough to read it)."""

    queryset = CASES

    def get(self, request, pk):
        return render(request, TEMPLATE, section(request.user, self.get_object()))


class SectionAction(ScopedActionView):
    """A form posted from the guardianship page: done, it goes back there; its field errors are shown there."""

    queryset = CASES
    template_name = TEMPLATE
    http_method_names = ["post"]
    form_key = ""

    def get_context_data(self, **context):
        return section(self.request.user, self.get_object(), **{self.form_key: context["form"]})

    def done(self, message):
        messages.success(self.request, message)
        return redirect("guardianship-case", pk=self.get_object().pk)


class AppointView(SectionAction):
    form_class = AppointForm
    form_key = "appoint_form"

    def get_form_kwargs(self):
        service = services.service_of(self.request.user, self.get_object())
        if service is None:
            raise Refused(_("Only the guardianship service that holds the child's case appoints a guardian."),
                          "not_entitled")
        return {"guardians": services.guardians(service)}

    def form_valid(self, form):
        data = form.cleaned_data
        appointment = services.appoint_guardian(self.request.user, self.get_object(), data["guardian"], on=data["on"],
                                                expected_version=data["version"])
        return self.done(_("%(name)s is the child's guardian.") % {"name": services.name_of(appointment.guardian)})


class EndView(SectionAction):
    form_class = EndForm
    form_key = "end_form"

    def form_valid(self, form):
        data, case = form.cleaned_data, self.get_object()
        current = case.guardian_appointments.visible_to(self.request.user).filter(ended_on__isnull=True).first()
        if current is None:
            raise Refused(_("The child has no guardian now."), "no_guardian")
        services.end_guardianship(self.request.user, current, data["reason"], on=data["on"],
                                  expected_version=data["version"])
        return self.done(_("The guardianship ended."))


class DoubtView(SectionAction):
    form_class = DoubtForm
    form_key = "doubt_form"

    def form_valid(self, form):
        data = form.cleaned_data
        assessment = services.open_age_assessment(self.request.user, self.get_object(), data["doubt"], on=data["on"])
        return self.done(_("The doubt about age was sent to %(organisation)s.") % {
            "organisation": assessment.organisation.name})


class DecideView(SectionAction):
    form_class = DecideForm
    form_key = "decide_form"

    def form_valid(self, form):
        data, case = form.cleaned_data, self.get_object()
        pending = AgeAssessment.objects.filter(case=case, outcome=AgeAssessment.Outcome.PENDING).visible_to(
            self.request.user).first()
        if pending is None:
            raise Refused(_("No age assessment of this case is waiting for a decision."), "none_pending")
        services.decide_age_assessment(self.request.user, pending, data["outcome"], on=data["on"],
                                       estimated_birth_year=data["estimated_birth_year"], note=data["note"],
                                       expected_version=data["version"])
        return self.done(_("The age assessment was decided."))

