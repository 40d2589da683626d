"""The cases API under ``/api/v1/`` (included from ``haven.urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="api-cases"),
    path("cases/<int:pk>/", views.CaseDetail.as_view(), name="api-case"),
    path("cases/<int:pk>/transitions/", views.TransitionsView.as_view(), name="api-case-transitions"),
    path("cases/<int:pk>/status/", views.TraffickingStatusView.as_view(), name="api-case-status"),
    path("cases/<int:pk>/reopen/", views.ReopenView.as_view(), name="api-case-reopen"),
    path("cases/<int:pk>/screenings/", views.ScreeningsView.as_view(), name="api-case-screenings"),
    path("cases/<int:pk>/referrals/", views.ReferView.as_view(), name="api-case-referrals"),
    path("cases/<int:pk>/services/", views.CaseServicesView.as_view(), name="api-case-services"),
    path("cases/<int:pk>/identity/", views.IdentityView.as_view(), name="api-case-identity"),
    path("cases/<int:pk>/subject-access/", views.SubjectAccessView.as_view(), name="api-case-subject-access"),
    path("cases/<int:pk>/history/", views.HistoryView.as_view(), name="api-case-history"),
    path("referrals/", views.ReferralList.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/answer/", views.AnswerReferralView.as_view(), name="api-referral-answer"),
    path("persons/", views.PersonSearch.as_view(), name="api-person-search"),
]
