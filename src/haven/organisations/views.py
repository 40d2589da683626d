from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.core.actor import Actor
from haven.core.errors import Invalid

from . import services
from .forms import AddMemberForm, ChangeRoleForm
from .home import ADMIN_PANELS, panels_for
from .models import Membership, Organisation


def home(request):
    memberships = request.user.memberships.select_related("organisation", "organisation__region")
    sections = [
        {"membership": m, "panels": (ADMIN_PANELS if m.is_admin else []) + panels_for(m.role),
         "can_manage": m.is_admin} for m in memberships
    ]
    return render(request, "organisations/home.html", {"sections": sections})


def _organisation(request, slug, jurisdiction):
    organisation = get_object_or_404(Organisation, slug=slug, jurisdiction__code=jurisdiction.upper())
    services.require_member_admin(request.user, organisation)
    return organisation


def _add_errors(form, exc: Invalid) -> None:
    if not exc.field_errors:
        form.add_error(None, exc.message)
    for field, errors in exc.field_errors.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
def members(request, jurisdiction, slug):
    organisation = _organisation(request, slug, jurisdiction)
    form = AddMemberForm(request.POST or None)
    invite = None
    if request.method == "POST" and form.is_valid():
        try:
            membership, created = services.do_add_member(Actor.from_request(request, organisation), organisation,
                                                         **form.cleaned_data)
        except Invalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(user)s was added as %(role)s.") % {
                "user": membership.user.username, "role": membership.get_role_display()})
            if created:
                invite = request.build_absolute_uri(services.set_password_path(membership.user))
            else:
                return redirect("organisation-members", jurisdiction=jurisdiction, slug=slug)
            form = AddMemberForm()
    rows = [
        (m, ChangeRoleForm(initial={"role": m.role}, prefix=f"m{m.pk}"))
        for m in organisation.memberships.select_related("user")
    ]
    return render(request, "organisations/members.html", {
        "organisation": organisation, "rows": rows, "form": form, "invite": invite,
    }, status=400 if form.errors else 200)


def _membership(request, jurisdiction, slug, pk):
    organisation = _organisation(request, slug, jurisdiction)
    return get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk,
                             organisation=organisation)


@require_POST
def change_role(request, jurisdiction, slug, pk):
    membership = _membership(request, jurisdiction, slug, pk)
    form = ChangeRoleForm(request.POST, prefix=f"m{pk}")
    if form.is_valid():
        services.do_change_role(Actor.from_request(request, membership.organisation), membership,
                                form.cleaned_data["role"])
        messages.success(request, _("The role of %(user)s is now %(role)s.") % {
            "user": membership.user.username, "role": dict(form.fields["role"].choices)[form.cleaned_data["role"]]})
    else:
        messages.error(request, _("Choose one of the listed roles."))
    return redirect("organisation-members", jurisdiction=jurisdiction, slug=slug)


@require_POST
def remove_member(request, jurisdiction, slug, pk):
    membership = _membership(request, jurisdiction, slug, pk)
    services.do_remove_member(Actor.from_request(request, membership.organisation), membership)
    messages.success(request, _("%(user)s is no longer a member.") % {"user": membership.user.username})
    return redirect("organisation-members", jurisdiction=jurisdiction, slug=slug)
