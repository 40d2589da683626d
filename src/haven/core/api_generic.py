"""Base classes of Haven's API endpoints: the DRF counterpart of ``haven.core.generic``.

An endpoint that reads case data subclasses a scoped base: ``get_queryset()`` is narrowed to what
``request.user`` may see (of ``part`` when given) and ``get_object()`` answers 404 for an object out of
scope. Endpoints that read no case data mix in ``PublicAPI`` (anonymous visitors) or
``haven.core.generic.UnscopedView`` with a ``reason``.
"""

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import generics, mixins, viewsets
from rest_framework.permissions import AllowAny

from .generic import PublicView, scoped_queryset


class PublicAPI(PublicView):
    """Mixin: an endpoint anonymous visitors may call (the middleware and DRF both let them in)."""

    permission_classes = [AllowAny]


class ScopedAPIView(generics.GenericAPIView):
    """``get_queryset()``: ``queryset`` (or ``model``'s rows) that ``request.user`` may see, of ``part``
    when given; ``get_object()``: the one named by the URL, 404 when absent or out of scope."""

    model = None
    queryset: QuerySet | None = None
    part: str | None = None

    def get_queryset(self) -> QuerySet:
        return scoped_queryset(self)

    def get_object(self):
        # Not ``filter_queryset``: a list's query filters must not hide or change the object asked for.
        if not hasattr(self, "_object"):
            lookup = self.lookup_url_kwarg or self.lookup_field
            found = self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]}).first()
            if found is None:
                raise Http404
            self.check_object_permissions(self.request, found)
            self._object = found
        return self._object


class ScopedListAPIView(mixins.ListModelMixin, ScopedAPIView):
    """GET: the scoped rows, filtered (``filterset_class``) and paginated."""

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class ScopedRetrieveAPIView(mixins.RetrieveModelMixin, ScopedAPIView):
    """GET: one scoped object."""

    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


class ScopedObjectAPIView(ScopedAPIView):
    """An endpoint acting on one scoped object (``POST …/<pk>/transitions/``): the handler starts with
    ``self.get_object()``, so an object out of scope is a 404 before the body is read. POST only unless
    the endpoint names more methods (GET on it stays a 405, as with ``@api_view(["POST"])``)."""

    http_method_names = ["post", "options"]


class ScopedViewSet(viewsets.ViewSetMixin, ScopedAPIView):
    """A viewset over scoped rows (the router's list, detail and ``@action`` routes).

    Ids are typed in the route (``<int:pk>``): a malformed id is a 404 before any query, never a 500."""

    lookup_value_converter = "int"  # read by routers built with use_regex_path=False
    lookup_value_regex = "[0-9]+"  # and by regex routers
