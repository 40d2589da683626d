"""URLs of the case chain: pages under /cases/, API under /api/v1/ (included from haven.urls)."""

from django.urls import path

from . import api_chain as api
from . import views_chain as views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.signal, name="case-signal"),
    path("<int:pk>/", views.case_page, name="case-page"),
    path("<int:pk>/transition/", views.transition, name="case-transition"),
    path("<int:pk>/status/", views.status, name="case-status"),
    path("<int:pk>/screening/", views.screening_page, name="case-screening"),
    path("<int:pk>/refer/", views.refer, name="case-refer"),
    path("<int:pk>/services/", views.service, name="case-service"),
    path("<int:pk>/reopen/", views.reopen, name="case-reopen"),
    path("referrals/<int:pk>/", views.answer_referral, name="case-referral-answer"),
]

api_urlpatterns = [
    path("cases/", api.CaseList.as_view(), name="api-cases"),
    path("cases/<int:pk>/", api.case_detail, name="api-case"),
    path("cases/<int:pk>/transitions/", api.transitions, name="api-case-transitions"),
    path("cases/<int:pk>/status/", api.trafficking_status, name="api-case-status"),
    path("cases/<int:pk>/reopen/", api.reopen, name="api-case-reopen"),
    path("cases/<int:pk>/screenings/", api.screenings, name="api-case-screenings"),
    path("cases/<int:pk>/referrals/", api.refer, name="api-case-referrals"),
    path("cases/<int:pk>/services/", api.services, name="api-case-services"),
    path("referrals/", api.ReferralList.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/answer/", api.answer_referral, name="api-referral-answer"),
]
