"""Showing, exporting and erasing an identity: each showing and each erasure writes one access-log
row, for the actor that did it, from where it was done."""

import datetime
from types import SimpleNamespace

import pytest

from haven.audit.models import AccessLog, Action, Purpose
from haven.core.actor import Actor
from haven.core.errors import Invalid
from haven.persons import services
from haven.persons.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return Person.objects.create(family_name="Quillfeather", given_names="Zenobia", aliases=["Zee"], sex="female",
                                 birth_date=datetime.date(1991, 7, 23), citizenships=["ng"])


@pytest.fixture
def actor(django_user_model):
    user = django_user_model.objects.create_user(username="caseworker", password="correct horse battery staple")
    return Actor(user=user, address="192.0.2.7", via="api")


def test_reveal_returns_the_identity_and_logs_one_row_for_the_actor(person, actor):
    shown = services.reveal(actor, person, Purpose.CASEWORK, "weekly meeting", path="/api/v1/somewhere/")
    assert (shown["family_name"], shown["birth_date"], shown["aliases"]) == (
        "Quillfeather", datetime.date(1991, 7, 23), ["Zee"])
    assert set(shown) == set(services.IDENTITY_FIELDS)
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.purpose, log.reason, log.person_id, log.case_id, log.record) == (
        actor.user, Action.VIEW_IDENTITY, Purpose.CASEWORK, "weekly meeting", person.pk, None,
        f"cases.person:{person.pk}")
    assert (log.ip, log.path) == ("192.0.2.7", "/api/v1/somewhere/")


def test_reveal_names_the_case_it_was_given_without_knowing_cases(person, actor):
    # Whatever the caller passes as the case is read for its pk, person and owner only.
    case = SimpleNamespace(pk=41, person_id=person.pk, owner_id=5)
    services.reveal(Actor(user=actor.user, organisation=SimpleNamespace(pk=5)), person, Purpose.DOCUMENTS, case=case)
    log = AccessLog.objects.get()
    assert (log.case_id, log.person_id, log.organisation_id, log.owner_organisation_id, log.record) == (
        41, person.pk, 5, 5, "cases.case:41")


def test_reveal_refuses_a_purpose_nobody_may_state_and_logs_nothing(person, actor):
    for purpose in ["curiosity", Purpose.RETENTION, Purpose.SUBJECT_ACCESS]:
        with pytest.raises(Invalid) as refused:
            services.reveal(actor, person, purpose)
        assert refused.value.code == "purpose" and "purpose" in refused.value.field_errors
    assert not AccessLog.objects.exists()


def test_the_subject_access_part_holds_every_version_of_the_identity_and_is_not_logged(person):
    person.family_name = "Quill"
    person.save()
    part = services.subject_access_part(Person.objects.get(pk=person.pk))
    assert part["person"]["family_name"] == "Quill" and part["person"]["sex"] == "female"
    assert part["person"]["identity_erased"] is None
    assert [(h["change"], h["family_name"]) for h in part["person_history"]] == [
        ("Created", "Quillfeather"), ("Changed", "Quill")]
    assert not AccessLog.objects.exists()  # the caller logs the whole export once


def test_erasure_blanks_identity_history_and_index_keeps_statistics_and_logs(person):
    key, year = person.person_key, person.birth_year
    services.erase_identity(person, Actor.system())
    erased = Person.objects.get(pk=person.pk)
    assert all(getattr(erased, field) is None for field in services.IDENTITY_FIELDS)
    assert erased.erased_at is not None
    assert (erased.person_key, erased.birth_year, erased.sex, erased.citizenship) == (key, year, "female", "NG")
    assert all(h.family_name is None and h.birth_date is None for h in Person.history.filter(id=person.pk))
    assert not person.name_index.exists() and not Person.objects.search_name("Quillfeather").exists()
    log = AccessLog.objects.get()
    assert (log.user, log.username, log.action, log.purpose, log.person_id, log.record) == (
        None, "", Action.ERASE, Purpose.RETENTION, person.pk, f"cases.person:{person.pk}")


def test_an_erased_person_saved_again_stays_erased(person):
    services.erase_identity(person, Actor.system())
    erased = Person.objects.get(pk=person.pk)
    key = erased.person_key
    erased.sex = "unknown"
    erased.save()
    again = Person.objects.get(pk=person.pk)
    assert (again.person_key, again.family_name, again.sex) == (key, None, "unknown")
    assert not again.name_index.exists()
