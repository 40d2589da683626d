"""The investigation list as a table (``haven.core.tables``): file numbers and counted facts, never a name."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from haven.core.tables import HavenTable, sortable


class InvestigationTable(HavenTable):
    file_number = tables.Column(_("Police file number"), linkify=("justice:investigation", [tables.A("pk")]),
                                **sortable("file_number"))
    district = tables.Column(_("Judicial district"))
    opened = tables.DateColumn(verbose_name=_("Opened"), **sortable("opened"))
    police_unit = tables.Column(_("Police unit"))
    forms = tables.Column(_("Forms of exploitation"), accessor="get_forms_display")

    caption = _("Investigations")

    class Meta(HavenTable.Meta):
        order_by = "-opened"  # the model's own order, shown as such on its column
        empty_text = _("No investigation matches.")

    def render_forms(self, value):
        return ", ".join(value)
