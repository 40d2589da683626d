"""The access log and the audit events as tables (``haven.core.tables``): newest first, sortable by time only."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from haven.core.tables import HavenTable, sortable


class AccessLogTable(HavenTable):
    at = tables.DateTimeColumn(verbose_name=_("When"), **sortable("at"))
    username = tables.Column(_("User"), default="—")
    organisation = tables.Column(_("Organisation"), accessor="organisation__name", default="—")
    action = tables.Column(_("Action"))
    purpose = tables.Column(_("Purpose"))
    entry_record = tables.Column(_("Record"), accessor="record")
    ip = tables.Column(_("Address"), default="—")

    caption = _("Access log")

    class Meta(HavenTable.Meta):
        order_by = "-at"  # the model's own order, shown as such on its column
        empty_text = _("Nothing has been logged yet.")

    def render_purpose(self, value, record):
        # ``value`` is the purpose's label (django-tables2 reads the field's choices)
        return format_html("{}: {}", value, record.reason) if record.reason else value


class AuditEventTable(HavenTable):
    at = tables.DateTimeColumn(verbose_name=_("When"), **sortable("at"))
    username = tables.Column(_("User"), empty_values=())
    target_organisation = tables.Column(_("Organisation"), accessor="target_organisation__name", default="—")
    verb = tables.Column(_("What happened"))
    target = tables.Column(_("Record"))
    changes = tables.Column(_("Changes"), accessor="changed_fields", empty_values=())
    address = tables.Column(_("Address"), default="—")

    caption = _("Audit events")

    class Meta(HavenTable.Meta):
        order_by = "-at"
        empty_text = _("Nothing has been recorded yet.")

    def render_username(self, value, record):
        # who, and through which door (page, API, command): the door is said even without a username
        return format_html("{} ({})", value or "—", record.get_via_display())

    def render_changes(self, value):
        return format_html_join(mark_safe("<br>"), "{}: {} → {}",
                                ((field, "—" if old is None else old, "—" if new is None else new)
                                 for field, old, new in value))
