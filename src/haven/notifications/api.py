"""``/api/v1/notifications/``: the caller's own notices, newest first, written in the request's language;
``POST …/read/`` marks them read (all, or those of ``ids``)."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from haven.core.api_generic import ScopedViewSet

from . import services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name", default=None, read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "params", "url", "organisation", "created", "read_at", "unread"]

    def get_text(self, notice) -> str:
        return services.render(notice, get_language())

    def get_unread(self, notice) -> bool:
        return notice.read_at is None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000,
                                help_text="The notices to mark read; absent: all of them.")


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("unread", bool, description="Only the notices not read yet.")]))
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Your notices (nobody else's: another's is a 404). ``?unread=true`` lists only the unread ones."""

    model = Notification
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        queryset = super().get_queryset().select_related("organisation")
        if self.action == "list" and self.request.query_params.get("unread") in {"1", "true", "yes"}:
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], pagination_class=None)
    def read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.mark_read(request.user, body.validated_data.get("ids"))
        return Response({"marked": marked, "unread": services.unread_count(request.user)})
