"""The case pages under ``/cases/``; the API is in ``api/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.signal, name="case-signal"),
    path("search/", views.search, name="case-search"),
    path("<int:pk>/", views.case_page, name="case-page"),
    path("<int:pk>/transition/", views.transition, name="case-transition"),
    path("<int:pk>/status/", views.status, name="case-status"),
    path("<int:pk>/screening/", views.screening_page, name="case-screening"),
    path("<int:pk>/refer/", views.refer, name="case-refer"),
    path("<int:pk>/services/", views.service, name="case-service"),
    path("<int:pk>/reopen/", views.reopen, name="case-reopen"),
    path("<int:pk>/identity/", views.identity, name="case-identity"),
    path("<int:pk>/subject-access/", views.subject_access, name="case-subject-access"),
    path("<int:pk>/history/", views.history, name="case-history"),
    path("referrals/<int:pk>/", views.answer_referral, name="case-referral-answer"),
]
