"""Model fields of the identity vault: the database only ever holds cipher text.

A value is JSON-encoded, encrypted with ``haven.access.vault`` for its column
(``app.model.field``) and stored as text. Python code sees plain values; SQL sees
``hv1:<key id>:<base64>``. Such a column cannot be filtered on (only ``isnull``): search a
name through a blind index instead (``haven.persons.models.PersonNameIndex``). ``dumpdata``
writes cipher text, so a backup or fixture is as safe as the database.
"""

import datetime
import json

from django import forms
from django.core.exceptions import FieldError
from django.db import models

from . import vault


class EncryptedField(models.TextField):
    """Base class: subclasses say how a Python value becomes JSON and back."""

    description = "Encrypted value (identity vault)"

    def context(self) -> str:
        # A model moved to another app keeps, as ``vault_label``, the label its cipher texts were sealed with.
        return f"{getattr(self.model, 'vault_label', self.model._meta.label_lower)}.{self.name}"

    # Python value <-> JSON-compatible value
    def encode(self, value):
        return value

    def decode(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, str) and vault.key_id(value) and self._is_ciphertext(value):
            return value  # already sealed (loaddata of a dump, or rotation)
        return vault.encrypt(json.dumps(self.encode(value), ensure_ascii=False, separators=(",", ":")),
                             self.context())

    def _is_ciphertext(self, value: str) -> bool:
        try:
            vault.decrypt(value, self.context())
        except vault.VaultError:
            return False
        return True

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.decode(json.loads(vault.decrypt(value, self.context())))

    def to_python(self, value):
        if isinstance(value, str) and vault.key_id(value):
            try:
                return self.decode(json.loads(vault.decrypt(value, self.context())))
            except vault.VaultError:
                pass
        return value

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: it cannot be filtered with "
                f"'{lookup_name}'. Search names through the blind index."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: no transforms.")


class EncryptedTextField(EncryptedField):
    def encode(self, value):
        return str(value)

    def formfield(self, **kwargs):
        return forms.CharField(**{"max_length": 300, "required": not self.blank, "label": self.verbose_name,
                                  **kwargs})


class EncryptedDateField(EncryptedField):
    def encode(self, value):
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat()

    def decode(self, value):
        return datetime.date.fromisoformat(value) if value else None

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str) and value:
            return datetime.date.fromisoformat(value)
        return value

    def formfield(self, **kwargs):
        return forms.DateField(**{"required": not self.blank, "label": self.verbose_name, **kwargs})


class EncryptedJSONField(EncryptedField):
    """Lists and mappings: aliases, citizenships, contact details, identity documents."""

    def formfield(self, **kwargs):
        return forms.JSONField(**{"required": not self.blank, "label": self.verbose_name, **kwargs})


def encrypted_fields(model) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
