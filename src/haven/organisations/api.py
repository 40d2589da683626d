from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.core.generic import UnscopedView

from .models import Membership


class MembershipSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    organisation_slug = serializers.CharField(source="organisation.slug")
    jurisdiction = serializers.CharField(source="organisation.jurisdiction.code")
    kind = serializers.CharField(source="organisation.kind")

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_slug", "jurisdiction", "kind", "role"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    memberships = MembershipSerializer(many=True)


class MeView(UnscopedView, APIView):
    """The signed-in user and their memberships."""

    reason = "the user's own account and memberships"
    serializer_class = MeSerializer
    http_method_names = ["get", "options"]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        memberships = request.user.memberships.select_related("organisation", "organisation__jurisdiction")
        return Response(MeSerializer({"username": request.user.username, "memberships": memberships}).data)


me = MeView.as_view()
