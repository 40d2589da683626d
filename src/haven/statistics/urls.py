from django.urls import path

from . import views

urlpatterns = [
    path("series/", views.SeriesListPage.as_view(), name="statistics-series"),
    path("series/<slug:slug>/", views.SeriesPage.as_view(), name="statistics-series-detail"),
]
