"""The base of Haven's list tables (django-tables2), rendered by ``core/table.html``.

Sorting is off unless a column turns it on: a user could otherwise sort on a value they may not see
(the facts of a case, say) and read it from the order of the rows. Columns that sort are shown values
on an index (a reference, a date), with the primary key as tie-break so that pages do not overlap.
"""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class HavenTable(tables.Table):
    """``caption`` names the table for screen readers; pages and sorting come from ``ScopedListView``."""

    caption = ""

    class Meta:
        template_name = "core/table.html"
        attrs = {"class": "list"}
        orderable = False
        order_by_field = "sort"
        empty_text = _("Nothing to show.")


def sortable(*fields: str) -> dict:
    """Column options that allow sorting on ``fields``, then the primary key (a stable order across pages)."""
    return {"orderable": True, "order_by": (*fields, "pk")}
