"""The API of requests between organisations, under ``/api/v1/residence/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("requests/", api.RequestList.as_view(), name="api-residence-requests"),
    path("requests/<int:pk>/", api.RequestDetail.as_view(), name="api-residence-request"),
    *[path(f"requests/<int:pk>/{answer}/", view.as_view(), name=f"api-residence-request-{answer}")
      for answer, view in api.ANSWER_VIEWS.items()],
    path("cases/<int:pk>/requests/", api.CaseRequests.as_view(), name="api-residence-case-requests"),
]
