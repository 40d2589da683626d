import csv
import io
import json

import pytest
from django.db import DatabaseError, connection, transaction

from haven.audit.models import AccessLog, Action, AppendOnly, Purpose
from haven.cli import main as haven
from haven.organisations.roles import Role


def entry(**kwargs):
    return AccessLog.objects.create(action=Action.VIEW_IDENTITY, purpose=Purpose.CASEWORK, **kwargs)


@pytest.mark.django_db
def test_haven_refuses_to_change_or_delete_a_row():
    row = entry(username="someone")
    row.username = "someone else"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=row.pk).update(username="x")
    with pytest.raises(AppendOnly):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).username == "someone"


@pytest.mark.django_db
def test_the_database_refuses_an_update_on_every_engine():
    row = entry(username="someone")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslog SET username = 'forged' WHERE id = %s", [row.pk])
    assert AccessLog.objects.get(pk=row.pk).username == "someone"


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_whatever_code_runs():
    row = entry(username="someone")
    for sql in ["UPDATE audit_accesslog SET reason = 'x' WHERE id = %s", "DELETE FROM audit_accesslog WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AccessLog.objects.filter(pk=row.pk, reason="").exists()


def test_admins_read_their_organisations_rows_and_the_dpo_reads_all(client, org, member, case_of):
    mine, theirs = case_of(org("pag-asa")), case_of(org("payoke"))
    entry(case_id=mine.pk, owner_organisation=org("pag-asa"), username="a")
    entry(case_id=theirs.pk, owner_organisation=org("payoke"), username="b")
    client.force_login(member(org("pag-asa"), Role.ORG_ADMIN))
    assert [e.username for e in client.get("/audit/").context["object_list"]] == ["a"]
    assert [r["username"] for r in client.get("/api/v1/audit/log/").json()["results"]] == ["a"]
    client.force_login(member(org("icp"), Role.DPO))
    assert {r["username"] for r in client.get("/api/v1/audit/log/").json()["results"]} == {"a", "b"}
    for role in (Role.CASEWORKER, Role.ANALYST):
        client.force_login(member(org("pag-asa"), role))
        assert client.get("/audit/").status_code == 404
        assert client.get("/api/v1/audit/log/").status_code == 404


def test_exports_csv_and_json_and_logs_them(client, org, member, case_of, tmp_path, capsys):
    case = case_of(org("pag-asa"))
    entry(case_id=case.pk, owner_organisation=org("pag-asa"), username="=cmd|' /C calc'!A0")
    client.force_login(member(org("pag-asa"), Role.ORG_ADMIN))
    response = client.get("/audit/export/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["username"].startswith("'=")  # no spreadsheet formula
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(client.get("/api/v1/audit/log/export/", {"format": "json"}).content)
    assert any(r["case_id"] == case.pk for r in data)
    assert AccessLog.objects.filter(action=Action.LOG_EXPORT).count() == 2
    out = tmp_path / "log.json"
    assert haven(["audit", "export", "--format", "json", "--organisation", "pag-asa", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())) >= 3
    assert AccessLog.objects.filter(action=Action.LOG_EXPORT).count() == 3
