"""The API of document scans, under ``/api/v1/residence/``."""

from django.urls import path

from . import scan_api

urlpatterns = [
    path("documents/<int:pk>/scans/", scan_api.DocumentScansAPI.as_view(), name="api-residence-document-scans"),
    path("documents/<int:pk>/scans/<int:scan>/", scan_api.ScanDownloadAPI.as_view(), name="api-residence-scan"),
]
