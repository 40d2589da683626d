from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from haven.access import api as access_api
from haven.access import views as access_views
from haven.access.middleware import mfa_exempt
from haven.audit import urls as audit_urls
from haven.core.access import public
from haven.core.generic import unscoped
from haven.core.views import healthz
from haven.directory import api as directory_api
from haven.directory.views import help_page
from haven.justice import urls as justice_urls
from haven.organisations import api as organisations_api

# Django's own account views: what they read is the signed-in user's account, never case data.
OWN_ACCOUNT = "the signed-in user's own account (Django's auth views)"

api_v1 = [
    path("directory/services/", directory_api.support_services, name="api-support-services"),
    path("me/", organisations_api.me, name="api-me"),
    path("library/", include("haven.library.api_urls")),
    path("statistics/", include("haven.statistics.api_urls")),
    path("justice/", include(justice_urls.api_urlpatterns)),
    path("auth/token/", access_api.token, name="api-token"),
    path("break-glass/", access_api.break_glass, name="api-break-glass"),
    path("residence/", include("haven.residence.api_urls")),
    path("residence/", include("haven.residence.scan_urls_api")),
    path("guardianship/", include("haven.guardianship.api_urls")),
    path("notifications/", include("haven.notifications.api_urls")),
    path("", include("haven.cases.api.urls")),
    *audit_urls.api_urlpatterns,
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("help/", help_page, name="help"),
    path("library/", include("haven.library.urls")),
    path("statistics/", include("haven.statistics.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/login/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("accounts/logout/", mfa_exempt(unscoped(OWN_ACCOUNT)(auth_views.LogoutView.as_view())), name="logout"),
    path("accounts/mfa/", access_views.verify, name="mfa-verify"),
    path("accounts/mfa/setup/", access_views.setup, name="mfa-setup"),
    path("accounts/password/", unscoped(OWN_ACCOUNT)(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path("accounts/password/done/", unscoped(OWN_ACCOUNT)(auth_views.PasswordChangeDoneView.as_view()),
         name="password_change_done"),
    path("accounts/reset/<uidb64>/<token>/", public(auth_views.PasswordResetConfirmView.as_view()),
         name="password_reset_confirm"),
    path("accounts/reset/done/", public(auth_views.PasswordResetCompleteView.as_view()),
         name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("cases/", include("haven.cases.urls")),
    path("break-glass/", access_views.break_glass, name="break-glass"),
    path("audit/", include(audit_urls.urlpatterns)),
    path("justice/", include(justice_urls)),
    path("residence/", include("haven.residence.urls")),
    path("residence/", include("haven.residence.scan_urls")),
    path("guardianship/", include("haven.guardianship.urls")),
    path("notifications/", include("haven.notifications.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("haven.organisations.urls")),
]

admin.site.site_header = "Haven"
admin.site.site_title = "Haven"

handler404 = "haven.core.views.page_not_found"
handler500 = "haven.core.views.server_error"
