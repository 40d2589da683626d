from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from haven.core.access import public
from haven.jurisdictions.models import Jurisdiction

from .services import find_services, jurisdiction_or_default

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}


@public
@require_GET
@vary_on_headers("Accept-Language", "Cookie")
def help_page(request):
    """Where to get help, without login. Never shows an address (DESIGN.md §3)."""
    jurisdiction = jurisdiction_or_default(request.GET.get("country"))
    regions = list(jurisdiction.regions.all()) if jurisdiction else []
    region = next((r for r in regions if r.code == request.GET.get("region")), None)
    language = request.GET.get("language") if request.GET.get("language") in LANGUAGE_NAMES else None
    services = find_services(jurisdiction, region=region, language=language) if jurisdiction else []
    return render(request, "directory/help.html", {
        "jurisdiction": jurisdiction,
        "jurisdictions": Jurisdiction.objects.all(),
        "regions": regions,
        "region": region,
        "language": language,
        "language_names": LANGUAGE_NAMES,
        "emergency": [s for s in services if s.kind == "emergency"],
        "services": [s for s in services if s.kind != "emergency"],
    })
