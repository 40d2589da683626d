from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/", views.members, name="organisation-members"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/<int:pk>/role/", views.change_role,
         name="organisation-member-role"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/<int:pk>/remove/", views.remove_member,
         name="organisation-member-remove"),
]
