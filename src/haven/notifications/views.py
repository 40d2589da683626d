"""The signed-in user's notices: the list (newest first, unread marked), opening one, marking all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.views.decorators.cache import never_cache

from haven.core.generic import ScopedObjectView, ScopedView

from . import services
from .models import Notification

PAGE_SIZE = 50


@method_decorator(never_cache, name="dispatch")
class NotificationListView(ScopedView):
    """Your notices, newest first, each written in your language; POST marks them all read."""

    model = Notification
    http_method_names = ["get", "post"]

    def get(self, request):
        page = Paginator(self.get_queryset().select_related("organisation"), PAGE_SIZE).get_page(
            request.GET.get("page"))
        language = get_language()  # the page's: what the recipient chose to read Haven in
        notices = [{"notice": n, "text": services.render(n, language), "unread": n.read_at is None} for n in page]
        return render(request, "notifications/list.html", {"page": page, "notices": notices,
                                                           "unread": any(n["unread"] for n in notices)})

    def post(self, request):
        marked = services.mark_read(request.user)
        messages.success(request, ngettext("%(count)d notice marked read.", "%(count)d notices marked read.",
                                           marked) % {"count": marked})
        return redirect("notifications")


@method_decorator(never_cache, name="dispatch")
class NotificationOpenView(ScopedObjectView):
    """Open a notice: it is marked read and you go where it points (a page of Haven, never elsewhere)."""

    model = Notification

    def get(self, request, pk):
        notice = self.get_object()
        services.mark_read(request.user, [notice.pk])
        if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()},
                                                          require_https=request.is_secure()):
            return redirect(notice.url)
        return redirect("notifications")
