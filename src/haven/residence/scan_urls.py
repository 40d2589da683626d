"""Pages of document scans, under ``/residence/``."""

from django.urls import path

from . import scan_views

urlpatterns = [
    path("documents/<int:pk>/scans/", scan_views.DocumentScansView.as_view(), name="residence-document-scans"),
    path("documents/<int:pk>/scans/<int:scan>/", scan_views.ScanDownloadView.as_view(), name="residence-scan"),
]
