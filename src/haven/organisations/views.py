from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from haven.core.actor import Actor
from haven.core.errors import Invalid
from haven.core.generic import UnscopedView, add_invalid, unscoped

from . import services
from .forms import AddMemberForm, AnswerRequestForm, ChangeRoleForm
from .home import ADMIN_PANELS, panels_for
from .models import Membership, MembershipRequest, Organisation


@unscoped("the user's own memberships and their home panels (kept a function while the panels change)")
def home(request):
    memberships = request.user.memberships.select_related("organisation", "organisation__region")
    sections = [
        {"membership": m, "panels": (ADMIN_PANELS if m.is_admin else []) + panels_for(m.role),
         "can_manage": m.is_admin} for m in memberships
    ]
    return render(request, "organisations/home.html", {"sections": sections})


class MembersAdmin(UnscopedView, View):
    """An organisation admin's page of its members (the service refuses anyone else)."""

    reason = "an organisation's members and roles, not case data"

    def organisation(self):
        organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"],
                                         jurisdiction__code=self.kwargs["jurisdiction"].upper())
        services.require_member_admin(self.request.user, organisation)
        return organisation

    def membership(self):
        return get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=self.kwargs["pk"],
                                 organisation=self.organisation())

    def back(self):
        return redirect("organisation-members", jurisdiction=self.kwargs["jurisdiction"], slug=self.kwargs["slug"])


class MembersView(MembersAdmin):
    http_method_names = ["get", "post"]

    def get(self, request, jurisdiction, slug):
        return self.show(self.organisation(), AddMemberForm())

    def post(self, request, jurisdiction, slug):
        organisation = self.organisation()
        form = AddMemberForm(request.POST or None)
        invite = None
        if form.is_valid():
            try:
                outcome = services.do_add_member(Actor.from_request(request, organisation), organisation,
                                                 **form.cleaned_data)
            except Invalid as exc:
                add_invalid(form, exc)
            else:
                if outcome.request is not None:
                    messages.success(request, _(
                        "%(user)s is a member of another organisation: they join as %(role)s once an admin of "
                        "that organisation accepts your request.") % {
                        "user": outcome.request.user.username, "role": outcome.request.get_role_display()})
                    return self.back()
                membership = outcome.membership
                messages.success(request, _("%(user)s was added as %(role)s.") % {
                    "user": membership.user.username, "role": membership.get_role_display()})
                if not outcome.new_account:
                    return self.back()
                invite = request.build_absolute_uri(services.set_password_path(membership.user))
                form = AddMemberForm()
        return self.show(organisation, form, invite)

    def show(self, organisation, form, invite=None):
        rows = [
            (m, ChangeRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}"))
            for m in organisation.memberships.select_related("user")
        ]
        to_answer = [
            (r, AnswerRequestForm(auto_id=f"id_request{r.pk}_%s"))
            for r in services.requests_awaiting_answer(organisation).order_by("requested_at", "pk")
        ]
        return render(self.request, "organisations/members.html", {
            "organisation": organisation, "rows": rows, "form": form, "invite": invite,
            "requests_made": services.requests_made_by(organisation).order_by("requested_at", "pk"),
            "requests_to_answer": to_answer,
        }, status=400 if form.errors else 200)


class ChangeRoleView(MembersAdmin):
    http_method_names = ["post"]

    def post(self, request, jurisdiction, slug, pk):
        membership = self.membership()
        form = ChangeRoleForm(request.POST, prefix=f"m{pk}")
        if form.is_valid():
            services.do_change_role(Actor.from_request(request, membership.organisation), membership,
                                    form.cleaned_data["role"])
            messages.success(request, _("The role of %(user)s is now %(role)s.") % {
                "user": membership.user.username,
                "role": dict(form.fields["role"].choices)[form.cleaned_data["role"]]})
        else:
            messages.error(request, _("Choose one of the listed roles."))
        return self.back()


class RemoveMemberView(MembersAdmin):
    http_method_names = ["post"]

    def post(self, request, jurisdiction, slug, pk):
        membership = self.membership()
        services.do_remove_member(Actor.from_request(request, membership.organisation), membership)
        messages.success(request, _("%(user)s is no longer a member.") % {"user": membership.user.username})
        return self.back()


class AnswerRequestView(MembersAdmin):
    """An admin of the organisation the requested user belongs to accepts or declines, from its members page."""

    http_method_names = ["post"]

    def post(self, request, jurisdiction, slug, pk):
        organisation = self.organisation()
        # any status: a second answer reaches the service, which says it was already answered
        membership_request = get_object_or_404(services.requests_about_members_of(organisation), pk=pk)
        form = AnswerRequestForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return self.back()
        accept = form.cleaned_data["decision"] == "accept"
        services.do_answer_membership_request(Actor.from_request(request, organisation), membership_request, accept,
                                              reason=form.cleaned_data["reason"])
        values = {"user": membership_request.user.username, "organisation": membership_request.organisation.name,
                  "role": membership_request.get_role_display()}
        if accept:
            messages.success(request, _("%(user)s now also belongs to %(organisation)s, as %(role)s.") % values)
        else:
            messages.success(request, _("You declined the request of %(organisation)s to take in %(user)s.") % values)
        return self.back()


class WithdrawRequestView(MembersAdmin):
    """The asking organisation's admin takes back a request not answered yet."""

    http_method_names = ["post"]

    def post(self, request, jurisdiction, slug, pk):
        organisation = self.organisation()
        membership_request = get_object_or_404(MembershipRequest.objects.select_related("user"), pk=pk,
                                               organisation=organisation)
        services.do_withdraw_membership_request(Actor.from_request(request, organisation), membership_request)
        messages.success(request, _("Your request to take in %(user)s was withdrawn.") % {
            "user": membership_request.user.username})
        return self.back()
