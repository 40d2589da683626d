import pytest
from django.db import DatabaseError, connection, transaction

from haven.audit.events import OutsideTransaction, changes, record_event
from haven.audit.models import AppendOnly, AuditEvent, Verb
from haven.core.actor import Actor
from haven.organisations.roles import Role


def event(actor, organisation, verb=Verb.ORGANISATION_CHANGED, **kwargs):
    with transaction.atomic():
        return record_event(actor, verb, organisation, organisation=organisation, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_an_event_cannot_be_written_outside_a_transaction(belgium, org):
    with pytest.raises(OutsideTransaction):
        record_event(Actor.system(), Verb.ORGANISATION_CHANGED, org("pag-asa"), organisation=org("pag-asa"))
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        record_event(Actor.system(), Verb.ORGANISATION_CHANGED, org("pag-asa"), organisation=org("pag-asa"))
    assert AuditEvent.objects.count() == 1


def test_an_event_keeps_who_where_and_what_changed(org, member):
    admin = member(org("pag-asa"), Role.ORG_ADMIN)
    actor = Actor(user=admin, organisation=org("pag-asa"), address="192.0.2.7", via="api")
    before, after = changes({"name": "Old", "active": True}, {"name": "New", "active": True})
    saved = event(actor, org("pag-asa"), before=before, after=after)
    row = AuditEvent.objects.get(pk=saved.pk)
    assert (row.user, row.username, row.organisation, row.address, row.via) == (
        admin, admin.username, org("pag-asa"), "192.0.2.7", "api")
    assert row.target == f"organisations.organisation:{org('pag-asa').pk}"
    assert (row.before, row.after) == ({"name": "Old"}, {"name": "New"})


@pytest.mark.parametrize("key", ["first_name", "last_name", "birth_date", "given_names", "email"])
def test_an_event_never_holds_an_identity_value(org, key):
    with pytest.raises(ValueError, match="identity"):
        event(Actor.system(), org("pag-asa"), after={key: "x"})
    assert not AuditEvent.objects.exists()


def test_an_unknown_verb_is_refused(org):
    with pytest.raises(ValueError, match="verb"):
        event(Actor.system(), org("pag-asa"), verb="membership.promoted_to_emperor")


def test_haven_refuses_to_change_or_delete_an_event(org):
    row = event(Actor.system(), org("pag-asa"))
    row.target = "forged"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=row.pk).update(target="forged")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=row.pk).target != "forged"


def test_the_database_refuses_an_update_on_every_engine(org):
    row = event(Actor.system(), org("pag-asa"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET target = 'forged' WHERE id = %s", [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).target == row.target


def test_deleting_a_user_empties_only_the_user_column(org, member):
    admin = member(org("pag-asa"), Role.ORG_ADMIN)
    row = event(Actor(user=admin), org("pag-asa"), after={"active": False})
    admin.delete()
    kept = AuditEvent.objects.get(pk=row.pk)
    assert kept.user is None and kept.username == "pag-asa-org_admin" and kept.after == {"active": False}
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = '' WHERE id = %s", [row.pk])  # already empty user


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_whatever_code_runs(org, member):
    row = event(Actor(user=member(org("pag-asa"), Role.ORG_ADMIN)), org("pag-asa"))
    for sql in ["UPDATE audit_auditevent SET target = 'x' WHERE id = %s",
                "UPDATE audit_auditevent SET user_id = NULL, verb = 'membership.added' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AuditEvent.objects.filter(pk=row.pk, verb=Verb.ORGANISATION_CHANGED, user__isnull=False).exists()


def test_admins_read_their_organisations_events_and_the_dpo_reads_all(client, org, member):
    event(Actor.system(), org("pag-asa"), after={"city": "Brussels"})
    event(Actor.system(), org("payoke"), after={"city": "Antwerp"})
    client.force_login(member(org("pag-asa"), Role.ORG_ADMIN))
    page = client.get("/audit/events/")
    assert [e.after for e in page.context["object_list"]] == [{"city": "Brussels"}]
    assert "Antwerp" not in page.content.decode()
    assert [r["after"] for r in client.get("/api/v1/audit/events/").json()["results"]] == [{"city": "Brussels"}]
    client.force_login(member(org("payoke"), Role.ORG_ADMIN))
    assert [r["target_organisation"] for r in client.get("/api/v1/audit/events/").json()["results"]] == ["payoke"]
    client.force_login(member(org("icp"), Role.DPO))
    assert {r["target_organisation"] for r in client.get("/api/v1/audit/events/").json()["results"]} == {
        "pag-asa", "payoke"}
    assert len(client.get("/audit/events/").context["object_list"]) == 2
    for role in (Role.CASEWORKER, Role.ANALYST, Role.EDITOR):
        client.force_login(member(org("pag-asa"), role))
        assert client.get("/audit/events/").status_code == 404
        assert client.get("/api/v1/audit/events/").status_code == 404


def test_events_are_filtered_by_what_happened(client, org, member):
    event(Actor.system(), org("pag-asa"))
    event(Actor.system(), org("pag-asa"), verb=Verb.ORGANISATION_CREATED)
    client.force_login(member(org("pag-asa"), Role.ORG_ADMIN))
    results = client.get("/api/v1/audit/events/", {"verb": "organisation.created"}).json()["results"]
    assert [r["verb"] for r in results] == ["organisation.created"]
    html = client.get("/audit/events/", {"verb": "organisation.created"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Created an organisation" in html


def test_the_admin_shows_events_read_only(client, org, db):
    from haven.organisations.models import User

    row = event(Actor.system(), org("pag-asa"))
    client.force_login(User.objects.create_superuser("root", password="x" * 16))
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_the_dpo_exports_the_events_with_the_haven_command_and_the_export_is_logged(org, tmp_path):
    import json

    from haven.audit.models import AccessLog, Action
    from haven.cli import main as haven

    with transaction.atomic():
        record_event(Actor.system(), Verb.ORGANISATION_CHANGED, org("pag-asa"), organisation=org("pag-asa"),
                     before={"city": "Bruxelles"}, after={"city": "Brussel"})
        record_event(Actor.system(), Verb.ORGANISATION_CHANGED, org("payoke"), organisation=org("payoke"))
    out = tmp_path / "events.json"
    assert haven(["audit", "events", "--format", "json", "--organisation", "pag-asa", "-o", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [(r["verb"], r["target_organisation"], r["before"], r["after"]) for r in rows] == [
        ("organisation.changed", "pag-asa", {"city": "Bruxelles"}, {"city": "Brussel"})]
    assert AccessLog.objects.filter(action=Action.LOG_EXPORT, record="audit.auditevent:export").count() == 1
    csv_out = tmp_path / "events.csv"
    assert haven(["audit", "events", "-o", str(csv_out)]) == 0
    assert csv_out.read_text().splitlines()[0].startswith("at,username,organisation,address,via,verb")
