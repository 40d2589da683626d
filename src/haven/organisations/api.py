from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

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


@api_view(["GET"])
def me(request):
    """The signed-in user and their memberships."""
    memberships = request.user.memberships.select_related("organisation", "organisation__jurisdiction")
    return Response(MeSerializer({"username": request.user.username, "memberships": memberships}).data)


me.cls.serializer_class = MeSerializer
