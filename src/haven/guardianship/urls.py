"""The guardianship pages (included at ``/guardianship/``): the section of one case, by the case's id."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/", views.GuardianshipCaseView.as_view(), name="guardianship-case"),
    path("cases/<int:pk>/appoint/", views.AppointView.as_view(), name="guardianship-appoint"),
    path("cases/<int:pk>/end/", views.EndView.as_view(), name="guardianship-end"),
    path("cases/<int:pk>/age-assessment/", views.DoubtView.as_view(), name="guardianship-doubt"),
    path("cases/<int:pk>/age-assessment/decide/", views.DecideView.as_view(), name="guardianship-decide"),
]
