"""Pages of requests between organisations, under ``/residence/``; the API is in ``api_urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="residence-requests"),
    path("requests/<int:pk>/", views.RequestPageView.as_view(), name="residence-request"),
    *[path(f"requests/<int:pk>/{answer}/", views.AnswerView.as_view(answer=answer),
           name=f"residence-request-{answer}") for answer in views.ANSWERS],
    path("cases/<int:pk>/requests/new/", views.NewRequestView.as_view(), name="residence-new-request"),
]
