"""Sets of short codes stored in one text column as ``,a,b,``.

The leading and trailing commas let ``column__contains=",a,"`` find one code on every database
(SQLite has no JSON containment), without matching ``a`` inside another code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


def join_codes(codes) -> str:
    codes = sorted({c for c in codes if c})
    return "," + ",".join(codes) + "," if codes else ""


def split_codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(",") if c]


def contains(code: str) -> str:
    """The ``__contains`` argument that finds rows holding ``code``."""
    return f",{code},"


@deconstructible
class CodeListValidator:
    """Refuses a ``,a,b,`` value holding a code outside ``allowed`` (the values of a TextChoices).

    The column keeps its text storage; this is what a form or ``full_clean`` checks it against.
    """

    def __init__(self, allowed):
        self.allowed = sorted(allowed)

    def __call__(self, value) -> None:
        unknown = sorted(set(split_codes(value)) - set(self.allowed))
        if unknown:
            raise ValidationError(_("Unknown code(s): %(codes)s.") % {"codes": ", ".join(unknown)}, code="invalid_code")

    def __eq__(self, other) -> bool:
        return isinstance(other, CodeListValidator) and self.allowed == other.allowed


def refuse_unknown_codes(app_label: str, columns: dict, lists: tuple = ()):
    """A ``RunPython`` step that stops a migration when a column holds a value outside its code list.

    ``columns`` maps ``(model, field)`` to the allowed values as the migration states them (blank
    included where the field may be blank); ``lists`` names the ``(model, field)`` columns stored as
    ``,a,b,``. A form would refuse such a row, so it is corrected by hand first, never let through.
    """

    def check(apps, schema_editor):
        bad = []
        for (model_name, field), allowed in columns.items():
            model = apps.get_model(app_label, model_name)
            stored = set(model.objects.using(schema_editor.connection.alias).values_list(field, flat=True)
                         .distinct())
            if (model_name, field) in lists:
                stored = {code for value in stored for code in split_codes(value)}
            unknown = sorted(str(value) for value in stored - set(allowed))
            if unknown:
                bad.append(f"{app_label}.{model_name}.{field}: {', '.join(repr(v) for v in unknown)}")
        if bad:
            raise ValueError("Values outside their code list; correct these rows, then migrate again: "
                             + "; ".join(bad))

    return check


def values_outside_code_lists() -> list[str]:
    """Every stored value of a Haven model's coded column (choices, or a ``CodeListValidator``) that is
    not in that column's code list, as ``app.Model.field: 'value'``; empty when all are known."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("haven."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField):
                continue
            lists = [v for v in field.validators if isinstance(v, CodeListValidator)]
            if not field.choices and not lists:
                continue
            stored = set(model.objects.values_list(field.attname, flat=True).distinct())
            if lists:
                unknown = {code for value in stored for code in split_codes(value)} - set(lists[0].allowed)
            else:
                unknown = stored - {value for value, _label in field.flatchoices} - ({""} if field.blank else set())
            found += [f"{model._meta.label}.{field.name}: {value!r}" for value in sorted(unknown, key=str)]
    return found
