"""Every id in every route is typed: a malformed id is a 404 before any query, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter


def _patterns(resolver: URLResolver, prefix: str = "", converters=None):
    for pattern in resolver.url_patterns:
        found = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "namespace", None) == "admin":
                continue  # Django's admin types its own ids (staff only)
            yield from _patterns(pattern, route, found)
        elif isinstance(pattern, URLPattern):
            yield route, found


def test_every_id_in_a_route_is_an_integer():
    untyped = [f"{route} ({name})" for route, converters in _patterns(get_resolver())
               for name, converter in converters.items()
               if (name == "pk" or name == "id" or name.endswith("_id") or name.endswith("_pk"))
               and not isinstance(converter, IntConverter)]
    assert not untyped, f"ids without an int converter: {untyped}"


@pytest.mark.parametrize("path", [
    "/api/v1/justice/investigations/abc/", "/api/v1/justice/prosecutions/1e3/", "/api/v1/justice/decisions/-1/",
    "/api/v1/justice/appeals/%20/", "/api/v1/justice/links/abc/", "/api/v1/cases/abc/", "/cases/abc/",
    "/justice/investigations/abc/",
])
def test_a_malformed_id_is_a_404(client, django_user_model, path):
    user = django_user_model.objects.create_user("someone", password="correct horse battery staple")
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"


def test_hostile_bodies_get_a_problem_not_a_500(client, django_user_model, settings):
    """Found by an attacker: 5,000 nested ``[`` gave a 500 (RecursionError); a 9 MB body a stack trace."""
    user = django_user_model.objects.create_user("someone", password="correct horse battery staple")
    client.force_login(user)
    deep = client.post("/api/v1/cases/", "[" * 5000 + "]" * 5000, content_type="application/json")
    assert deep.status_code == 400 and deep.json()["code"] == "too_deep"
    nested = client.post("/api/v1/cases/", '{"a":' * 40 + "1" + "}" * 40, content_type="application/json")
    assert nested.status_code == 400 and nested.json()["code"] == "too_deep"
    big = client.post("/api/v1/cases/", '{"place": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + '"}',
                      content_type="application/json")
    assert big.status_code == 413 and big["Content-Type"] == "application/problem+json"
    assert big.json()["code"] == "too_large"
