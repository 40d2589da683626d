"""The cases API under ``/api/v1/`` (included from ``haven.urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="api-cases"),
    path("cases/<int:pk>/", views.case_detail, name="api-case"),
    path("cases/<int:pk>/transitions/", views.transitions, name="api-case-transitions"),
    path("cases/<int:pk>/status/", views.trafficking_status, name="api-case-status"),
    path("cases/<int:pk>/reopen/", views.reopen, name="api-case-reopen"),
    path("cases/<int:pk>/screenings/", views.screenings, name="api-case-screenings"),
    path("cases/<int:pk>/referrals/", views.refer, name="api-case-referrals"),
    path("cases/<int:pk>/services/", views.case_services, name="api-case-services"),
    path("cases/<int:pk>/identity/", views.identity, name="api-case-identity"),
    path("cases/<int:pk>/subject-access/", views.subject_access, name="api-case-subject-access"),
    path("cases/<int:pk>/history/", views.history, name="api-case-history"),
    path("referrals/", views.ReferralList.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/answer/", views.answer_referral, name="api-referral-answer"),
    path("persons/", views.person_search, name="api-person-search"),
]
