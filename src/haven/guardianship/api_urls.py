"""The guardianship API (included at ``/api/v1/guardianship/``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("appointments/", api.AppointmentList.as_view(), name="api-guardianship-appointments"),
    path("appointments/<int:pk>/", api.AppointmentDetail.as_view(), name="api-guardianship-appointment"),
    path("appointments/<int:pk>/end/", api.EndAppointment.as_view(), name="api-guardianship-appointment-end"),
    path("age-assessments/", api.AssessmentList.as_view(), name="api-guardianship-assessments"),
    path("age-assessments/<int:pk>/", api.AssessmentDetail.as_view(), name="api-guardianship-assessment"),
    path("age-assessments/<int:pk>/decide/", api.DecideAssessment.as_view(),
         name="api-guardianship-assessment-decide"),
    path("guardians/", api.GuardianList.as_view(), name="api-guardianship-guardians"),
]
