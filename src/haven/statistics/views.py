"""Public pages of the published series (aggregates fed by confirmed library claims, not case data)."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from haven.core.generic import PublicView

from .services import published_series


class SeriesListPage(PublicView, View):
    http_method_names = ["get"]

    def get(self, request):
        return render(request, "statistics/series_list.html", {"series": published_series()})


class SeriesPage(PublicView, View):
    http_method_names = ["get"]

    def get(self, request, slug):
        series = get_object_or_404(published_series(), slug=slug)
        return render(request, "statistics/series_detail.html", {"series": series})
