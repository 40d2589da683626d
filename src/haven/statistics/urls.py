from django.urls import path

from . import views

urlpatterns = [
    path("series/", views.series_list, name="statistics-series"),
    path("series/<slug:slug>/", views.series_detail, name="statistics-series-detail"),
]
