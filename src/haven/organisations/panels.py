"""What the organisations app plugs into the home page (``home.register_panel_source``, from ``apps.py``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .services import can_manage_members, requests_awaiting_answer


def membership_requests(user, organisation) -> list[dict]:
    """The admins' panel: other organisations asking to take in one of ``organisation``'s members."""
    if not can_manage_members(user, organisation):
        return []
    # the admin who asked (when they administer both) cannot answer; another admin does
    url = reverse("organisation-members", args=[organisation.jurisdiction.code, organisation.slug])
    return [{"url": f"{url}#requests-to-answer", "overdue": False,
             "text": _("%(organisation)s asks to take in %(user)s as %(role)s") % {
                 "organisation": request.organisation.name, "user": request.user.username,
                 "role": request.get_role_display()}}
            for request in requests_awaiting_answer(organisation).exclude(requested_by=user)[:20]]
