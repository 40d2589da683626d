from django.urls import path

from . import api, views

urlpatterns = [
    path("search/", views.search, name="case-search"),
    path("<int:pk>/identity/", views.identity, name="case-identity"),
    path("<int:pk>/subject-access/", views.subject_access, name="case-subject-access"),
    path("<int:pk>/history/", views.history, name="case-history"),
]

api_urlpatterns = [
    path("cases/<int:pk>/identity/", api.identity, name="api-case-identity"),
    path("cases/<int:pk>/subject-access/", api.subject_access, name="api-case-subject-access"),
    path("cases/<int:pk>/history/", api.history, name="api-case-history"),
    path("persons/", api.person_search, name="api-person-search"),
]
