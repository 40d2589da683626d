import datetime
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from haven.access import rotation, vault
from haven.access.models import BreakGlass
from haven.audit.models import AccessLog, Action
from haven.cases.models import Case
from haven.cases.services import apply_retention
from haven.cli import main as haven
from haven.organisations.roles import Role
from haven.persons.models import Person

from .factories import share


@pytest.fixture
def setting(org, member, case_of):
    case = case_of(org("pag-asa"), family_name="Quillfeather", given_names="Zenobia",
                   birth_date=datetime.date(1991, 7, 23))
    return case, member(org("pag-asa"), Role.CASEWORKER)


def rows(action=None):
    queryset = AccessLog.objects.all()
    return queryset.filter(action=action) if action else queryset


def test_the_identity_page_asks_why_then_shows_and_logs_once(client, setting):
    case, worker = setting
    client.force_login(worker)
    page = client.get(f"/cases/{case.pk}/identity/")
    assert "Quillfeather" not in page.content.decode() and rows().count() == 0
    shown = client.post(f"/cases/{case.pk}/identity/", {"purpose": "casework", "reason": "weekly meeting"})
    assert "Quillfeather" in shown.content.decode()
    log = rows(Action.VIEW_IDENTITY).get()
    assert (log.user, log.organisation_id, log.owner_organisation_id, log.case_id, log.purpose, log.reason) == (
        worker, case.owner_id, case.owner_id, case.pk, "casework", "weekly meeting")
    assert log.ip == "127.0.0.1" and log.path == f"/cases/{case.pk}/identity/"
    assert client.post(f"/cases/{case.pk}/identity/", {"purpose": "curiosity"}).status_code == 400
    assert rows().count() == 1


def test_the_identity_api_requires_a_purpose_and_logs_once(client, setting):
    case, worker = setting
    client.force_login(worker)
    assert client.get(f"/api/v1/cases/{case.pk}/identity/").status_code == 400
    data = client.get(f"/api/v1/cases/{case.pk}/identity/", {"purpose": "documents"}).json()
    assert data["family_name"] == "Quillfeather" and data["birth_date"] == "1991-07-23"
    assert rows(Action.VIEW_IDENTITY).count() == 1 == rows().count()


def test_search_by_name_returns_references_only_and_is_logged(client, setting, org, case_of):
    case, worker = setting
    case_of(org("payoke"), family_name="Quillfeather")  # another organisation's: not found
    client.force_login(worker)
    found = client.get("/api/v1/persons/", {"name": "quillféather"}).json()
    assert found == [{"person": case.person_id, "cases": [{"id": case.pk, "reference": case.reference}]}]
    assert rows(Action.SEARCH).count() == 1 and "quill" not in rows().get().reason.lower()
    page = client.get("/cases/search/", {"name": "Zenobia"}).content.decode()
    assert case.reference in page and "Quillfeather" not in page
    # The names searched never reach the access log, in any column (the log is outside the vault).
    for entry in rows(Action.SEARCH).values():
        assert not any(name in str(value).lower() for value in entry.values() for name in ("quill", "zenobia"))
    assert set(rows(Action.SEARCH).values_list("path", flat=True)) == {"/api/v1/persons/", "/cases/search/"}


def test_subject_access_export_is_for_the_owner_and_logged(client, setting, org, member):
    case, worker = setting
    share(case, org("police-central-thb"), {"summary", "identity", "facts"})
    client.force_login(member(org("police-central-thb"), Role.OFFICER))
    assert client.post(f"/cases/{case.pk}/subject-access/").status_code == 404  # shared, not owned
    client.force_login(worker)
    response = client.post(f"/cases/{case.pk}/subject-access/")
    data = json.loads(response.content)
    assert data["person"]["family_name"] == "Quillfeather"
    assert data["cases"][0]["shared_with"][0]["organisation"].startswith("Federal Judicial Police")
    assert rows(Action.SUBJECT_ACCESS).count() == 1 == rows().count()
    assert client.get(f"/api/v1/cases/{case.pk}/subject-access/").json()["person"]["given_names"] == "Zenobia"
    assert rows(Action.SUBJECT_ACCESS).count() == 2


def test_history_is_scoped_like_the_case(client, setting, org, member):
    case, worker = setting
    case.closed_at = timezone.now()
    case.save_versioned(1, ["closed_at"])
    client.force_login(worker)
    assert len(client.get(f"/api/v1/cases/{case.pk}/history/").json()) == 2
    client.force_login(member(org("payoke"), Role.CASEWORKER))
    assert client.get(f"/api/v1/cases/{case.pk}/history/").status_code == 404
    assert client.get(f"/cases/{case.pk}/history/").status_code == 404


def test_break_glass_opens_a_case_for_hours_logs_and_reports(client, setting, org, member,
                                                             django_capture_on_commit_callbacks):
    case, _ = setting
    admin = member(org("pag-asa"), Role.ORG_ADMIN)
    admin.email = "admin@pag-asa.example"
    admin.save()
    officer = member(org("police-antwerpen"), Role.OFFICER)
    client.force_login(officer)
    assert client.get(f"/cases/{case.pk}/identity/").status_code == 404
    refused = client.post("/break-glass/", {"reference": case.reference, "reason": "urgent"})
    assert refused.status_code == 400 and not BreakGlass.objects.exists()
    reason = "Person found injured at night, centre unreachable"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/break-glass/", {"reference": case.reference.lower(), "reason": reason})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/identity/"
    assert client.post(f"/cases/{case.pk}/identity/", {"purpose": "emergency"}).status_code == 200
    assert [r.action for r in rows().order_by("pk")] == [Action.BREAK_GLASS, Action.VIEW_IDENTITY]
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].body and "Quillfeather" not in mail.outbox[0].body
    client.force_login(admin)
    assert reason in client.get("/").content.decode()
    BreakGlass.objects.update(expires=timezone.now() - timedelta(minutes=1))
    client.force_login(officer)
    assert client.get(f"/cases/{case.pk}/identity/").status_code == 404


def test_analysts_cannot_break_glass(client, setting, org, member):
    case, _ = setting
    client.force_login(member(org("myria"), Role.ANALYST))
    response = client.post("/api/v1/break-glass/", {"reference": case.reference, "reason": "x" * 40})
    assert response.status_code == 400 and not BreakGlass.objects.exists()


def test_retention_erases_identity_and_keeps_statistics(setting, org, case_of, belgium):
    case, _ = setting
    open_case = case_of(org("payoke"), family_name="Stillopen")
    person = case.person
    key, year = person.person_key, person.birth_year
    case.closed_at = timezone.now() - timedelta(days=365 * 11)
    case.save()
    assert apply_retention(dry_run=True) == 1 and Person.objects.get(pk=person.pk).family_name == "Quillfeather"
    assert haven(["retention"]) == 0
    erased = Person.objects.get(pk=person.pk)
    assert (erased.family_name, erased.birth_date, erased.erased_at is not None) == (None, None, True)
    assert (erased.person_key, erased.birth_year, erased.sex) == (key, year, "female")
    assert all(h.family_name is None for h in Person.history.filter(id=person.pk))
    assert not Person.objects.search_name("Quillfeather").exists()
    assert Case.objects.filter(pk=case.pk).exists() and rows(Action.ERASE).count() == 1
    assert Person.objects.get(pk=open_case.person_id).family_name == "Stillopen"
    assert apply_retention() == 0


def test_recently_closed_cases_keep_their_identity(setting):
    case, _ = setting
    case.closed_at = timezone.now() - timedelta(days=365 * 9)
    case.save()
    assert apply_retention() == 0


def test_rotation_re_encrypts_without_losing_search(settings, setting, capsys):
    case, _ = setting
    old = vault.primary().kid
    settings.HAVEN_DATA_KEY = f"{vault.generate_key()},{settings.HAVEN_DATA_KEY}"
    assert Person.objects.search_name("Quillfeather").exists()  # old index still found during rotation
    assert haven(["vault", "status"]) == 0 and "to rotate" in capsys.readouterr().out
    report = rotation.rotate(batch=1)
    assert report["persons.Person"] >= 3 and report["blind index"] >= 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM cases_person WHERE id = %s", [case.person_id])
        assert vault.key_id(cursor.fetchone()[0]) == vault.primary().kid != old
    settings.HAVEN_DATA_KEY = settings.HAVEN_DATA_KEY.split(",")[0]  # the old key can go
    assert Person.objects.get(pk=case.person_id).family_name == "Quillfeather"
    assert list(Person.objects.search_name("quillfeather")) == [case.person]
    assert all(n == 0 for label, n in rotation.rotate().items() if label != "blind index")
