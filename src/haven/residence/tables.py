"""The request list as a table: case references, what is asked, who holds it; never a name."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from haven.core.tables import HavenTable, sortable

from .services import request_name


class RequestTable(HavenTable):
    reference = tables.Column(_("Case"), accessor="case__reference",
                              linkify=("residence-request", [tables.A("pk")]))
    kind = tables.Column(_("Request"), empty_values=())
    stage = tables.Column(_("Stage"))
    holder = tables.Column(_("Held by"), accessor="holder__name", default="—")
    due_on = tables.DateColumn(verbose_name=_("Answer due"), short=False, default="—", **sortable("due_on"))
    requested_by = tables.Column(_("Requested by"), accessor="requested_by__name")
    requested_on = tables.DateColumn(verbose_name=_("Requested on"), short=False, **sortable("requested_on"))

    caption = _("Requests")

    class Meta(HavenTable.Meta):
        empty_text = _("No request matches.")

    def render_kind(self, record):
        return request_name(record)
