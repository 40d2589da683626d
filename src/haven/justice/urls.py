from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, views

app_name = "justice"

urlpatterns = [
    path("investigations/", views.investigation_list, name="investigations"),
    path("investigations/new/", views.investigation_new, name="investigation-new"),
    path("investigations/<int:pk>/", views.investigation_detail, name="investigation"),
    path("investigations/<int:pk>/edit/", views.investigation_edit, name="investigation-edit"),
    path("investigations/<int:pk>/suspects/", views.suspects_add, name="suspects-add"),
    path("investigations/<int:pk>/link/", views.link_add, name="link-add"),
    path("investigations/<int:pk>/prosecutions/new/", views.prosecution_new, name="prosecution-new"),
    path("links/<int:pk>/unlink/", views.link_remove, name="link-remove"),
    path("prosecutions/<int:pk>/requisitions/", views.requisitions, name="requisitions"),
    path("prosecutions/<int:pk>/decisions/new/", views.decision_new, name="decision-new"),
    path("decisions/<int:pk>/appeals/new/", views.appeal_new, name="appeal-new"),
    path("appeals/<int:pk>/edit/", views.appeal_edit, name="appeal-edit"),
]

router = SimpleRouter(use_regex_path=False)
router.register("investigations", api.InvestigationViewSet, basename="justice-investigation")
router.register("links", api.LinkViewSet, basename="justice-link")
router.register("prosecutions", api.ProsecutionViewSet, basename="justice-prosecution")
router.register("decisions", api.DecisionViewSet, basename="justice-decision")
router.register("appeals", api.AppealViewSet, basename="justice-appeal")
api_urlpatterns = router.urls
