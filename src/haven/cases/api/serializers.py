"""Serializers of the cases API: what a client sends and reads."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.access.context import context_for
from haven.organisations.models import Organisation
from haven.persons.models import Sex

from ..models import Case, ExploitationForm, IsicSection, Referral, SupportService


class ContactSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class IdentityDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40, help_text="passport, identity card, residence permit …")
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    country = CountryField(required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2 code of the issuer.")
    expires = serializers.DateField(required=False, allow_null=True)


@extend_schema_field({"type": "string", "enum": list(Sex.values)})
class SexField(serializers.ChoiceField):
    """Documented as the same plain enum as the justice chain's counted ``sex`` (one schema component)."""

    def __init__(self, **kwargs):
        super().__init__(Sex.choices, **kwargs)


LANGUAGE = serializers.RegexField(r"^[a-z]{2}$", help_text="ISO 639-1 code, e.g. fr")


class PersonSerializer(serializers.Serializer):
    """What a signal may say of the person: the identity vault's fields, each typed (all optional)."""

    family_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    given_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=20)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = SexField(required=False)
    citizenships = serializers.ListField(child=CountryField(), required=False, max_length=5,
                                         help_text="ISO 3166-1 alpha-2 codes, the main one first.")
    languages = serializers.ListField(child=LANGUAGE, required=False, max_length=10)
    contact = ContactSerializer(required=False)
    identity_documents = IdentityDocumentSerializer(many=True, required=False, max_length=10)

    def validate_birth_date(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("A birth date cannot be in the future."))
        return value

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, dict) else []
        if unknown:  # a misspelt field must not be dropped silently: the vault would miss it
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        value = super().to_internal_value(data)
        for document in value.get("identity_documents", []):
            if document.get("expires"):
                document["expires"] = document["expires"].isoformat()  # stored in the vault as JSON
        return value


class IdentitySerializer(serializers.Serializer):
    family_name = serializers.CharField(allow_null=True)
    given_names = serializers.CharField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), allow_null=True)
    birth_date = serializers.DateField(allow_null=True)
    citizenships = serializers.ListField(child=serializers.CharField(), allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), allow_null=True)
    contact = ContactSerializer(allow_null=True)
    identity_documents = IdentityDocumentSerializer(many=True, allow_null=True)


class HistoryEntry(serializers.Serializer):
    date = serializers.DateTimeField(source="history_date")
    change = serializers.CharField(source="get_history_type_display")
    by = serializers.CharField(source="history_user.username", default="")
    owner = serializers.IntegerField(source="owner_id")
    closed = serializers.DateTimeField(source="closed_at", allow_null=True)
    version = serializers.IntegerField()


class PersonMatch(serializers.Serializer):
    person = serializers.IntegerField()
    cases = serializers.ListField(child=serializers.DictField())


class CaseSummarySerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    exploitation_forms = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "reference", "state", "owner", "region", "minor", "unaccompanied", "detected_on",
                  "trafficking_status", "closed_at", "close_reason", "version", "exploitation_forms", "sector", "url"]

    def get_exploitation_forms(self, case) -> list[str] | None:
        return sorted(case.form_set) if "facts" in self._parts(case) else None

    def get_url(self, case) -> str:
        return f"/api/v1/cases/{case.pk}/"

    def _parts(self, case):
        cache = self.context.setdefault("_parts", {})
        if case.pk not in cache:
            # A page of cases is answered at once: two queries for the page, not two per row.
            batch = self.parent.instance if isinstance(self.parent, serializers.ListSerializer) else None
            cache.update(context_for(self.context["request"].user).parts_for_many(batch or [case]))
        return cache[case.pk]

    def to_representation(self, case):
        data = super().to_representation(case)
        if "facts" not in self._parts(case):
            data["sector"] = None
        return data


class SignalSerializer(serializers.Serializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all(),
                                                help_text="Slug of your organisation that records the signal.")
    detected_on = serializers.DateField()
    region = serializers.CharField(help_text="Region code of the profile.")
    place = serializers.CharField(required=False, allow_blank=True)
    observations = serializers.CharField(required=False, allow_blank=True)
    exploitation_forms = serializers.ListField(child=serializers.ChoiceField(ExploitationForm.choices),
                                               required=False)
    sector = serializers.ChoiceField(IsicSection.choices, required=False, allow_blank=True)
    minor = serializers.BooleanField(required=False, default=False)
    unaccompanied = serializers.BooleanField(required=False, default=False)
    person = PersonSerializer(required=False, help_text="Identity fields if known (identity vault).")

    def validate_organisation(self, organisation):
        user = self.context["request"].user
        if not user.memberships.filter(organisation=organisation).exists():
            raise serializers.ValidationError("You are not a member of this organisation.")
        return organisation


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    version = serializers.IntegerField(help_text="The case version you read; a stale one is refused (409).")
    on = serializers.DateField(required=False, help_text="Date of the step (default: today).")
    params = serializers.DictField(child=serializers.CharField(), required=False)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(["presumed", "identified"])
    version = serializers.IntegerField()
    on = serializers.DateField(required=False)


class ReopenSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True)
    on = serializers.DateField(required=False)


class ScreeningSerializer(serializers.Serializer):
    indicators = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    form = serializers.ChoiceField(ExploitationForm.choices, required=False)
    legal_elements = serializers.DictField(child=serializers.BooleanField(), required=False)
    on = serializers.DateField(required=False)


class ReferSerializer(serializers.Serializer):
    to = serializers.CharField(required=False, help_text="Organisation slug; omit to route by the profile.")
    kind = serializers.ChoiceField(Referral.Kind.choices, default="referral")
    purpose = serializers.ChoiceField(Referral.Purpose.choices, default="reception")
    consent = serializers.ChoiceField(Referral.Consent.choices)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class ReferralSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    from_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "case", "case_reference", "kind", "purpose", "from_organisation", "to_organisation", "status",
                  "consent", "referred_on", "answer_due", "decided_on", "decision_reason"]


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(["accept", "decline", "revoke"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class ServiceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(SupportService.Kind.choices)
    provider = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    shelter_address = serializers.CharField(required=False, allow_blank=True, default="",
                                            help_text="Secret: only your centre will see it.")
    planned_start = serializers.DateField(required=False)
    planned_end = serializers.DateField(required=False)
    actual_start = serializers.DateField(required=False)
    actual_end = serializers.DateField(required=False)
