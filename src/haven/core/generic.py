"""Base classes of Haven's pages: every page view says how it reaches its rows.

A page that reads case data subclasses a scoped base, which narrows ``get_queryset()`` to what the
signed-in user may see (``haven.access.scope``) and answers 404 for an object out of scope, so a view
cannot forget the scope. A page that reads no case data says so: ``PublicView`` (open to anonymous
visitors) or ``UnscopedView`` with a ``reason``. ``core/tests/test_views_are_scoped.py`` walks every
URL and fails on a view that made none of these decisions. A function view that has to stay one
(Django's own views, a view another change owns) carries ``@public`` or ``@unscoped(reason)``.
"""

from functools import wraps

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.views import View
from django_tables2 import RequestConfig

from .errors import Invalid, ServiceError


class PublicView:
    """Mixin: a page (or endpoint) anonymous visitors may open; what it shows is public by nature."""

    haven_public = True


class UnscopedView:
    """Mixin: a view that reads no case data; ``reason`` names why (the user's own account, the library…)."""

    reason = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.reason:
            raise ImproperlyConfigured(f"{cls.__qualname__}: an unscoped view says why in `reason`")


def unscoped(reason: str):
    """Mark a function view that reads no case data (kept a function for a stated cause)."""
    if not reason:
        raise ImproperlyConfigured("unscoped() needs the reason why the view reads no case data")

    def mark(view):
        # a wrapper, like ``@public``: the same function may be routed elsewhere without the mark
        @wraps(view)
        def marked(*args, **kwargs):
            return view(*args, **kwargs)

        marked.haven_unscoped = reason
        return marked

    return mark


def add_invalid(form, error: ServiceError) -> None:
    """Put a service's refusal onto ``form``: field errors next to their input, the rest on top."""
    field_errors = getattr(error, "field_errors", None) or {}
    for field, errors in field_errors.items():
        form.add_error(field if field in form.fields else None, errors)
    if not field_errors:
        form.add_error(None, error.message)


class ServiceFormMixin:
    """A form posted to a service: ``form_valid`` calls the service and returns a redirect.

    The refusals in ``form_errors`` (``Invalid`` unless the view names more) go onto the form, which is
    shown again with status 400; every other ``ServiceError`` propagates to
    ``haven.core.middleware.ServiceErrorPages``.
    """

    form_class = None
    template_name = None
    form_errors: tuple[type[ServiceError], ...] = (Invalid,)

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self):
        return self.form_class(self.request.POST or None, **self.get_form_kwargs())

    def get_context_data(self, **context) -> dict:
        return context

    def render_form(self, form):
        return render(self.request, self.template_name, self.get_context_data(form=form),
                      status=400 if form.errors else 200)

    def form_valid(self, form):
        raise NotImplementedError(f"{type(self).__qualname__} calls its service in form_valid")

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                response = self.form_valid(form)
            except self.form_errors as error:
                add_invalid(form, error)
            else:
                if response is not None:
                    return response
        return self.render_form(form)


def visible(queryset: QuerySet, user, part: str | None = None) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see: ``visible_to``, which every model registered with
    ``haven.access.scope`` offers (core sits below access, so it asks the queryset, not the registry)."""
    visible_to = getattr(queryset, "visible_to", None)
    if visible_to is None:
        raise ImproperlyConfigured(f"{queryset.model._meta.label} has no access rule (haven.access.scope.register)")
    return visible_to(user, part)


def scoped_queryset(view) -> QuerySet:
    """The rows of ``view.queryset`` (or ``view.model``) that the request's user may see, of ``view.part``:
    the one rule of the page and API bases."""
    if view.queryset is not None:
        queryset = view.queryset.all()
    elif view.model is not None:
        queryset = view.model._default_manager.all()
    else:
        raise ImproperlyConfigured(f"{type(view).__qualname__} names its `model` or `queryset`")
    return visible(queryset, view.request.user, view.part)


class ScopedView(View):
    """A page that reads case data: ``get_queryset()`` is ``queryset`` (or ``model``'s rows) that the
    user may see, of ``part`` when given (e.g. ``identity`` on a case)."""

    model = None
    queryset: QuerySet | None = None
    part: str | None = None

    def get_queryset(self) -> QuerySet:
        return scoped_queryset(self)


class ScopedObjectView(ScopedView):
    """One object of the scoped queryset, by the URL's ``pk``; 404 when absent or out of scope (never 403,
    which would confirm it exists). With ``template_name`` it renders ``object`` on GET."""

    pk_url_kwarg = "pk"
    template_name = None
    http_method_names = ["get"]

    def get_object(self):
        if not hasattr(self, "_object"):
            found = self.get_queryset().filter(pk=self.kwargs[self.pk_url_kwarg]).first()
            if found is None:
                raise Http404
            self._object = found
        return self._object

    def get_context_data(self, **context) -> dict:
        return context

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.get_context_data(object=self.get_object()))


class ScopedActionView(ServiceFormMixin, ScopedObjectView):
    """A form acting on one scoped object: GET shows the form (unless ``http_method_names`` is POST only),
    POST validates it and ``form_valid`` calls the service and redirects."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_object()  # 404 out of scope before the input is even read
        return super().post(request, *args, **kwargs)


class ScopedListView(ScopedView):
    """A list of scoped rows shown as ``table_class`` (a ``haven.core.tables.HavenTable``): filtered by
    ``filterset_class`` (django-filter, given the request), sorted by ``?sort=`` on the columns the table
    allows, ``paginate_by`` rows a page (``?page=``); htmx asks for ``htmx_template_name`` alone to replace
    the results in place. The table only ever receives the scoped queryset."""

    template_name = None
    htmx_template_name = None
    filterset_class = None
    table_class = None
    paginate_by = 25
    http_method_names = ["get"]

    def get_filterset(self, queryset):
        return self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)

    def get_table(self, queryset):
        if self.table_class is None:
            raise ImproperlyConfigured(f"{type(self).__qualname__} names its `table_class`")
        table = self.table_class(queryset)
        # ``?sort=`` on a column the table does not allow is dropped by django-tables2; the page size is the
        # view's, never the visitor's (django-tables2 would read ``?per_page=``), so pages are cut here
        RequestConfig(self.request, paginate=False).configure(table)
        table.paginator = Paginator(table.rows, self.paginate_by)
        table.page = table.paginator.get_page(self.request.GET.get(table.prefixed_page_field))
        return table

    def get_context_data(self, **context) -> dict:
        return context

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        filters = None
        if self.filterset_class is not None:
            filters = self.get_filterset(queryset)
            queryset = filters.qs
        table = self.get_table(queryset)
        template = self.htmx_template_name if self.htmx_template_name and getattr(request, "htmx", False) \
            else self.template_name
        rows = [row.record for row in table.paginated_rows]
        return render(request, template, self.get_context_data(filters=filters, table=table, object_list=rows))
