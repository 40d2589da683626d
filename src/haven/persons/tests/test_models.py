"""Person: its identity is cipher text at rest, found by name only through the blind index, and
counted once through its person key."""

import datetime
import json

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from haven.access import vault
from haven.persons.models import Person


@pytest.mark.django_db
def test_identity_columns_hold_no_plain_text():
    person = Person.objects.create(
        family_name="Dumitrescu", given_names="Ioana", aliases=["Nadia"], birth_date=datetime.date(1999, 3, 14),
        citizenships=["RO"], languages=["ro"], contact={"phone": "+40 712 345 678", "address": "Strada Lunga 5"},
        identity_documents=[{"kind": "passport", "number": "054412345"}])
    columns = ", ".join(f.column for f in Person._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM cases_person WHERE id = %s", [person.pk])  # noqa: S608
        row = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT * FROM cases_historicalperson WHERE id = %s", [person.pk])
        row += " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT digest FROM cases_personnameindex WHERE person_id = %s", [person.pk])
        row += " ".join(value for (value,) in cursor.fetchall())
    for secret in ["Dumitrescu", "Ioana", "Nadia", "1999-03-14", "+40", "Lunga", "054412345", "passport"]:
        assert secret.lower() not in row.lower(), secret
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.family_name, fresh.birth_date, fresh.contact["address"]) == (
        "Dumitrescu", datetime.date(1999, 3, 14), "Strada Lunga 5")
    assert (fresh.birth_year, fresh.citizenship) == (1999, "RO")  # pseudonymous copies for statistics


@pytest.mark.django_db
def test_encrypted_columns_cannot_be_filtered_but_names_are_searchable():
    ioana = Person.objects.create(family_name="Dumitrescu", given_names="Ioana Maria", aliases=["Nadia K."])
    Person.objects.create(family_name="Popescu", given_names="Ioana")
    with pytest.raises(FieldError, match="encrypted"):
        list(Person.objects.filter(family_name="Dumitrescu"))
    assert list(Person.objects.search_name("dumitrescu IOANA")) == [ioana]
    assert list(Person.objects.search_name("Nádia")) == [ioana]
    assert Person.objects.search_name("Ioana").count() == 2
    assert not Person.objects.search_name("Dumitrescu Popescu").exists()
    assert not Person.objects.search_name("  ").exists()
    ioana.aliases = []
    ioana.save()
    assert not Person.objects.search_name("Nadia").exists()


@pytest.mark.django_db
def test_the_same_person_registered_twice_gets_one_person_key():
    a = Person.objects.create(family_name="Ngozi", given_names="Ada", birth_date=datetime.date(2001, 1, 2))
    b = Person.objects.create(family_name="NGOZI", given_names="Adá", birth_date=datetime.date(2001, 1, 2))
    c = Person.objects.create(family_name="Ngozi", given_names="Ada", birth_date=datetime.date(2001, 1, 3))
    d, e = Person.objects.create(), Person.objects.create()
    assert a.person_key == b.person_key != c.person_key
    assert d.person_key != e.person_key


@pytest.mark.django_db
def test_identities_sealed_before_the_move_to_persons_still_open():
    """Cipher texts are bound to their column's name; the rows written while Person lived in the
    cases app were sealed as ``cases.person…`` and must read back the same."""
    person = Person.objects.create(family_name="Ngozi", given_names="Ada")
    sealed = vault.encrypt(json.dumps("Okafor"), "cases.person.family_name")
    history = vault.encrypt(json.dumps("Okafor"), "cases.historicalperson.family_name")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET family_name = %s WHERE id = %s", [sealed, person.pk])
        cursor.execute("UPDATE cases_historicalperson SET family_name = %s WHERE id = %s", [history, person.pk])
    assert Person.objects.get(pk=person.pk).family_name == "Okafor"
    assert Person.history.get(id=person.pk).family_name == "Okafor"
