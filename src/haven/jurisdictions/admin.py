from django.contrib import admin

from .models import CentreRoute, JudicialDistrict, Jurisdiction, Region


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "legal_test", "profile_version"]
    inlines = [RegionInline]


@admin.register(JudicialDistrict)
class JudicialDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "region", "jurisdiction"]
    list_filter = ["jurisdiction"]


@admin.register(CentreRoute)
class CentreRouteAdmin(admin.ModelAdmin):
    list_display = ["region", "audience", "purpose", "organisation"]
    list_filter = ["jurisdiction", "audience", "purpose"]
