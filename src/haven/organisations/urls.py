from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/", views.MembersView.as_view(),
         name="organisation-members"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/<int:pk>/role/", views.ChangeRoleView.as_view(),
         name="organisation-member-role"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/<int:pk>/remove/", views.RemoveMemberView.as_view(),
         name="organisation-member-remove"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/requests/<int:pk>/answer/",
         views.AnswerRequestView.as_view(), name="organisation-member-request-answer"),
    path("organisations/<str:jurisdiction>/<slug:slug>/members/requests/<int:pk>/withdraw/",
         views.WithdrawRequestView.as_view(), name="organisation-member-request-withdraw"),
]
