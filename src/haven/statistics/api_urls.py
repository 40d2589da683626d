from django.urls import path

from . import api

urlpatterns = [
    path("series/", api.series_list, name="api-statistics-series"),
    path("series/<slug:slug>/", api.series_detail, name="api-statistics-series-detail"),
]
