from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from haven.core.access import public

from .services import published_series


@public
@require_GET
def series_list(request):
    return render(request, "statistics/series_list.html", {"series": published_series()})


@public
@require_GET
def series_detail(request, slug):
    series = get_object_or_404(published_series(), slug=slug)
    return render(request, "statistics/series_detail.html", {"series": series})
