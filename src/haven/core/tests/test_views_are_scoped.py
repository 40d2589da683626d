"""Every view decides how it reaches its rows: a scoped base (``haven.core.generic`` / ``api_generic``),
``PublicView`` / ``PublicAPI``, ``UnscopedView`` with a reason, or, for a function view, ``@public`` or
``@unscoped(reason)``. A view that decided nothing could read case data outside the scope unseen, so this
walks every URL (the API and nested includes too) and names the views that did not decide."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.cases.models import Case
from haven.core.api_generic import ScopedAPIView
from haven.core.generic import PublicView, ScopedObjectView, ScopedView, UnscopedView, unscoped

DECIDED = (ScopedView, ScopedAPIView, PublicView, UnscopedView)

# Not walked, each for its reason:
SKIPPED_NAMESPACES = {
    "admin",  # Django's admin: staff only, behind its own login and permissions, no case data by our views
}
SKIPPED_VIEWS = (
    SpectacularAPIView,  # the API's schema: describes endpoints, reads no rows
)


def views(patterns, prefix=""):
    """(route, name, callback) of every URL below ``patterns``, through nested includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name, pattern.callback


def decided(callback) -> bool:
    if getattr(callback, "haven_public", False) or getattr(callback, "haven_unscoped", ""):
        return True  # a function view with its explicit marker
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return view_class is not None and issubclass(view_class, DECIDED)


def undecided(urlconf=None) -> list[str]:
    walked = views(get_resolver(urlconf).url_patterns)
    return sorted(f"{name or '(no name)'} ({route})" for route, name, callback in walked
                  if not issubclass(getattr(callback, "view_class", None) or type(None), SKIPPED_VIEWS)
                  and not decided(callback))


def test_every_view_is_scoped_public_or_says_why_not():
    offending = undecided()
    assert not offending, "views that are neither scoped, public nor unscoped with a reason:\n" + "\n".join(offending)


def test_the_walk_reaches_the_api_and_nested_includes():
    walked = {(route, name) for route, name, _callback in views(get_resolver().url_patterns)}
    assert {("cases/", "case-list"), ("api/v1/cases/<int:pk>/", "api-case"),
            ("api/v1/library/sources/", "api-library-sources"),
            ("justice/investigations/<int:pk>/", "investigation")} <= walked
    assert not [route for route, _name in walked if route.startswith("admin/")]


# --- a URL map with views that decided nothing, to show the walk fails on them ---------------------------


def plain_function(request):
    return HttpResponse("")


class PlainAPI(APIView):
    def get(self, request):
        return Response({})


class ScopedCasePage(ScopedObjectView):
    model = Case


class OwnAccount(UnscopedView, APIView):
    reason = "the signed-in user's own account"


nested = [path("deeper/", plain_function, name="nested-plain")]

urlpatterns = [
    path("plain/", plain_function, name="plain-function"),
    path("plain-api/", PlainAPI.as_view(), name="plain-api"),
    path("scoped/<int:pk>/", ScopedCasePage.as_view(), name="scoped"),
    path("own/", OwnAccount.as_view(), name="own-account"),
    path("marked/", unscoped("a health check")(plain_function), name="marked-function"),
    path("nested/", include(nested)),
    path("admin/", admin.site.urls),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]


def test_the_walk_names_every_view_that_decided_nothing():
    assert undecided(__name__) == ["nested-plain (nested/deeper/)", "plain-api (plain-api/)",
                                   "plain-function (plain/)"]
