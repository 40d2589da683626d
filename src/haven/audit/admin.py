from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: events are written by actions only, and never changed (the database refuses too)."""

    list_display = ["at", "username", "verb", "target", "target_organisation", "via"]
    list_filter = ["verb", "via"]
    search_fields = ["username", "target"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
