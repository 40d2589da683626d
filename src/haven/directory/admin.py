from django.contrib import admin

from .models import SupportService


@admin.register(SupportService)
class SupportServiceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "phone", "phone_uri", "jurisdiction"]
    list_filter = ["jurisdiction", "kind"]
    filter_horizontal = ["regions"]
