"""Persons: the identity vault's encrypted fields and the pseudonymous columns statistics need.

The models were born in the cases app and keep its tables (``cases_person`` …) and the names their
cipher texts are bound to (``vault_label``): moving them changed no row.
"""

import hashlib
import hmac
import secrets

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from haven.access import vault
from haven.access.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField


class Sex(models.TextChoices):  # HTCDS vic_Gender, reduced to what statistics report
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


IDENTITY_FIELDS = ("family_name", "given_names", "aliases", "birth_date", "citizenships", "languages",
                   "contact", "identity_documents")


class PersonQuerySet(models.QuerySet):
    def search_name(self, text: str):
        """Persons whose names or aliases contain every token of ``text`` (accents and case ignored),
        found through the blind index, never by decrypting."""
        tokens = vault.normalise_name(text)
        if not tokens:
            return self.none()
        queryset = self
        for token in tokens:
            digests = vault.blind_index_candidates(token)
            queryset = queryset.filter(pk__in=PersonNameIndex.objects.filter(digest__in=digests).values("person_id"))
        return queryset


class _SealedAsCasesHistory(models.Model):
    """Base of Person's history model: its cipher texts were sealed under the cases app's label."""

    vault_label = "cases.historicalperson"

    class Meta:
        abstract = True


class Person(models.Model):
    """A person in the mechanism. Identity fields are encrypted (identity vault, DESIGN.md §3).

    The clear columns (``person_key``, ``sex``, ``birth_year``, ``citizenship``) are the
    pseudonymous attributes statistics need; they survive the erasure of the identity.
    """

    # identity vault: encrypted, never filtered on, erased by retention
    family_name = EncryptedTextField(_("family name"), null=True, blank=True)
    given_names = EncryptedTextField(_("given names"), null=True, blank=True)
    aliases = EncryptedJSONField(_("aliases"), null=True, blank=True, default=list)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    citizenships = EncryptedJSONField(_("citizenships"), null=True, blank=True, default=list,
                                      help_text=_("ISO 3166-1 alpha-2 codes"))
    languages = EncryptedJSONField(_("languages"), null=True, blank=True, default=list,
                                   help_text=_("ISO 639-1 codes"))
    contact = EncryptedJSONField(_("contact details"), null=True, blank=True, default=dict,
                                 help_text=_("{\"phone\": …, \"email\": …, \"address\": …}"))
    identity_documents = EncryptedJSONField(
        _("identity documents"), null=True, blank=True, default=list,
        help_text=_("[{\"kind\": \"passport\", \"number\": …, \"country\": …, \"expires\": …}]"))

    # pseudonymous, for statistics
    person_key = models.CharField(_("person key"), max_length=64, db_index=True, editable=False,
                                  help_text=_("Keyed digest of name and birth date: counts a person once."))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True, editable=False)
    citizenship = models.CharField(_("main citizenship"), max_length=2, blank=True, editable=False)

    erased_at = models.DateTimeField(_("identity erased"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"], table_name="cases_historicalperson",
                                bases=[_SealedAsCasesHistory])
    objects = PersonQuerySet.as_manager()

    # The vault binds each cipher text to its column's name (haven.access.fields): keep the one it was sealed with.
    vault_label = "cases.person"

    class Meta:
        db_table = "cases_person"
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return f"person {self.pk}"  # never the name: __str__ ends up in logs and admin lists

    def save(self, *args, **kwargs):
        if self.erased_at is None:
            self.person_key = self.compute_person_key()
            self.birth_year = self.birth_date.year if self.birth_date else None
            self.citizenship = (self.citizenships or [""])[0][:2].upper()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.reindex()

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part) or "—"

    def name_tokens(self) -> set[str]:
        texts = [self.family_name or "", self.given_names or "", *(self.aliases or [])]
        return {token for text in texts for token in vault.normalise_name(str(text))}

    def compute_person_key(self) -> str:
        tokens = sorted(vault.normalise_name(f"{self.given_names or ''} {self.family_name or ''}"))
        if not tokens or not self.birth_date:
            return self.person_key or secrets.token_hex(16)  # too little to match on: a person of its own
        message = f"person\x00{' '.join(tokens)}\x00{self.birth_date.isoformat()}".encode()
        return hmac.new(vault.primary().index_key, message, hashlib.sha256).hexdigest()[:32]

    def reindex(self) -> None:
        """Rebuild the blind index of this person's names under the primary key."""
        digests = {vault.blind_index(token) for token in self.name_tokens()} if self.erased_at is None else set()
        existing = set(self.name_index.values_list("digest", flat=True))
        self.name_index.exclude(digest__in=digests).delete()
        PersonNameIndex.objects.bulk_create(
            [PersonNameIndex(person=self, digest=d) for d in digests - existing], ignore_conflicts=True)


class PersonNameIndex(models.Model):
    """Blind index: one keyed digest per name token of a person (``haven.access.vault``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_index")
    digest = models.CharField(max_length=32, db_index=True)

    class Meta:
        db_table = "cases_personnameindex"
        constraints = [models.UniqueConstraint(fields=["person", "digest"], name="person_name_index_unique")]

    def __str__(self):
        return f"name index of person {self.person_id}"
