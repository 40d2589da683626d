from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(use_regex_path=False)
router.register("", api.NotificationViewSet, basename="api-notification")
urlpatterns = router.urls
