"""The case list as a table (``haven.core.tables``): references and procedure states, never a name."""

import django_tables2 as tables
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.core.tables import HavenTable, sortable

from .actions import procedure


class CaseTable(HavenTable):
    reference = tables.Column(_("Reference"), linkify=("case-page", [tables.A("pk")]), **sortable("reference"))
    state = tables.Column(_("State"), accessor="state_name")
    owner = tables.Column(_("Owner"), accessor="owner__name")
    region = tables.Column(_("Region"), default="—")
    minor = tables.Column(_("Minor"))
    detected_on = tables.DateColumn(verbose_name=_("Detected on"), short=False, default="—", **sortable("detected_on"))

    caption = _("Cases")

    class Meta(HavenTable.Meta):
        empty_text = _("No case matches.")

    def before_render(self, request):
        # the state's name in the reader's language, for the rows of this page only
        procedure.name_states([row.record for row in self.paginated_rows])

    def render_minor(self, value):
        return gettext("yes") if value else gettext("no")
