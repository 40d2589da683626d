from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, views

app_name = "justice"

urlpatterns = [
    path("investigations/", views.InvestigationListView.as_view(), name="investigations"),
    path("investigations/new/", views.InvestigationNewView.as_view(), name="investigation-new"),
    path("investigations/<int:pk>/", views.InvestigationView.as_view(), name="investigation"),
    path("investigations/<int:pk>/edit/", views.InvestigationEditView.as_view(), name="investigation-edit"),
    path("investigations/<int:pk>/suspects/", views.SuspectsAddView.as_view(), name="suspects-add"),
    path("investigations/<int:pk>/link/", views.LinkAddView.as_view(), name="link-add"),
    path("investigations/<int:pk>/prosecutions/new/", views.ProsecutionNewView.as_view(), name="prosecution-new"),
    path("links/<int:pk>/unlink/", views.LinkRemoveView.as_view(), name="link-remove"),
    path("prosecutions/<int:pk>/requisitions/", views.RequisitionsView.as_view(), name="requisitions"),
    path("prosecutions/<int:pk>/decisions/new/", views.DecisionNewView.as_view(), name="decision-new"),
    path("decisions/<int:pk>/appeals/new/", views.AppealNewView.as_view(), name="appeal-new"),
    path("appeals/<int:pk>/edit/", views.AppealEditView.as_view(), name="appeal-edit"),
]

router = SimpleRouter(use_regex_path=False)
router.register("investigations", api.InvestigationViewSet, basename="justice-investigation")
router.register("links", api.LinkViewSet, basename="justice-link")
router.register("prosecutions", api.ProsecutionViewSet, basename="justice-prosecution")
router.register("decisions", api.DecisionViewSet, basename="justice-decision")
router.register("appeals", api.AppealViewSet, basename="justice-appeal")
api_urlpatterns = router.urls
