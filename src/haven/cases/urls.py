"""The case pages under ``/cases/``; the API is in ``api/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case-list"),
    path("new/", views.SignalView.as_view(), name="case-signal"),
    path("search/", views.SearchView.as_view(), name="case-search"),
    path("<int:pk>/", views.CasePageView.as_view(), name="case-page"),
    path("<int:pk>/transition/", views.TransitionView.as_view(), name="case-transition"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="case-status"),
    path("<int:pk>/screening/", views.ScreeningView.as_view(), name="case-screening"),
    path("<int:pk>/refer/", views.ReferView.as_view(), name="case-refer"),
    path("<int:pk>/services/", views.ServiceView.as_view(), name="case-service"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="case-reopen"),
    path("<int:pk>/identity/", views.IdentityView.as_view(), name="case-identity"),
    path("<int:pk>/subject-access/", views.SubjectAccessView.as_view(), name="case-subject-access"),
    path("<int:pk>/history/", views.HistoryView.as_view(), name="case-history"),
    path("referrals/<int:pk>/", views.AnswerReferralView.as_view(), name="case-referral-answer"),
]
