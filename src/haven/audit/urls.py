from django.urls import path

from . import api, views

urlpatterns = [
    path("", views.AccessLogView.as_view(), name="access-log"),
    path("export/", views.AccessLogExportView.as_view(), name="access-log-export"),
    path("events/", views.AuditEventsView.as_view(), name="audit-events"),
]

api_urlpatterns = [
    path("audit/log/", api.access_log, name="api-access-log"),
    path("audit/log/export/", api.access_log_export, name="api-access-log-export"),
    path("audit/events/", api.audit_events, name="api-audit-events"),
]
