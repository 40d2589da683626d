"""``haven backup`` / ``haven restore``: a round trip keeps every row and the vault's cipher text as it was,
and a wrong key, a damaged or cut file, other migrations or existing data are refused without a change."""

import base64
import datetime
import struct

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from haven.audit.models import AccessLog, Action, AuditEvent, Purpose
from haven.audit.services import record
from haven.cases.actions.procedure import apply_transition
from haven.cases.actions.signals import record_signal
from haven.cases.tests.fixtures import *  # noqa: F403
from haven.cli import main as haven
from haven.core import backup
from haven.core.actor import Actor
from haven.core.errors import Refused
from haven.core.trail import Verb, record_event
from haven.organisations.models import Membership
from haven.organisations.roles import Role
from haven.persons.models import Person

DAY = datetime.date(2025, 1, 6)


@pytest.fixture
def key():
    return backup.parse_key(backup.generate_key())


@pytest.fixture
def world(org, member):
    """Two cases through the chain (identities, history, timeline), an audit event, access-log rows."""
    inspector = member(org("social-law-inspection"), Role.INSPECTOR)
    officer = member(org("police-brussels-capital"), Role.OFFICER)
    first = record_signal(inspector, org("social-law-inspection"), detected_on=DAY, region="flanders",
                          place="Greenhouse", observations="Workers sleeping on site", exploitation_forms={"labour"},
                          sector="A", person={"family_name": "Quillfeather", "given_names": "Zenobia",
                                              "birth_date": datetime.date(1991, 7, 23), "sex": "female"})
    apply_transition(inspector, first, "presume", on=DAY)
    record_signal(officer, org("police-brussels-capital"), detected_on=DAY, region="brussels",
                  exploitation_forms={"sexual"}, person={"family_name": "Ørsted-Núñez", "given_names": "Ana María"})
    actor = Actor(user=inspector, organisation=org("social-law-inspection"), address="192.0.2.7", via="web")
    membership = Membership.objects.get(user=officer)
    record_event(actor, Verb.MEMBERSHIP_ROLE_CHANGED, membership, organisation=membership.organisation,
                 before={"role": "caseworker"}, after={"role": "officer"})
    record(actor, Action.VIEW_IDENTITY, Purpose.CASEWORK, case=first, reason="weekly meeting",
           path=f"/cases/{first.pk}/identity/")
    return first


def counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backup.backed_up_models()}


def stored_identities() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, family_name, given_names, birth_date FROM cases_person ORDER BY id")
        return cursor.fetchall()


def chunks(path) -> tuple[bytes, list[bytes]]:
    """The preamble of a backup file and its framed chunks, as written."""
    data = path.read_bytes()
    end = data.index(b"\n", len(backup.MAGIC)) + 1
    preamble, framed, at = data[:end], [], end
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        framed.append(data[at:at + 4 + length])
        at += 4 + length
    return preamble, framed


def test_a_round_trip_restores_every_row_and_the_sealed_identities(world, key, tmp_path):
    before, identities = counts(), stored_identities()
    assert before["cases.historicalcase"] and before["audit.auditevent"] and before["audit.accesslog"]
    assert before["persons.person"] == 2 and before["cases.timelineentry"]
    path = tmp_path / "haven.backup"
    assert backup.write_backup(path, key) == before
    data = path.read_bytes()
    assert b"Quillfeather" not in data and identities[0][1].encode() not in data  # sealed twice over

    backup._empty(backup.backed_up_models())  # what --force does: the database is now empty
    assert not any(counts().values())
    reported = []
    assert backup.restore_backup(path, key, progress=lambda table, rows: reported.append((table, rows))) == before

    assert counts() == before
    assert ("persons.person", 2) in reported and ("audit.accesslog", 1) in reported
    assert stored_identities() == identities  # the cipher text, byte for byte
    person = Person.objects.get(pk=world.person_id)
    assert (person.family_name, person.given_names, person.birth_date) == (
        "Quillfeather", "Zenobia", datetime.date(1991, 7, 23))
    assert list(Person.objects.search_name("ana maria ørsted nunez").values_list("given_names", flat=True)) == [
        "Ana María"]
    event = AuditEvent.objects.get()
    assert (event.address, event.before, event.after) == ("192.0.2.7", {"role": "caseworker"}, {"role": "officer"})
    log = AccessLog.objects.get()
    assert (log.case_id, log.reason, log.path) == (world.pk, "weekly meeting", f"/cases/{world.pk}/identity/")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslog SET reason = 'rewritten'")  # still append-only
    # The sequences follow the restored keys: the next row gets a key of its own.
    later = AccessLog.objects.create(username="after", action=Action.SEARCH, purpose=Purpose.CASEWORK)
    assert later.pk > log.pk


def test_restore_refuses_a_database_that_holds_data_unless_forced(world, key, tmp_path):
    path = tmp_path / "haven.backup"
    before = backup.write_backup(path, key)
    with pytest.raises(Refused, match="--force") as refused:
        backup.restore_backup(path, key)
    assert refused.value.code == "backup_not_empty" and counts() == before
    AccessLog.objects.create(username="after the backup", action=Action.SEARCH, purpose=Purpose.CASEWORK)
    assert backup.restore_backup(path, key, force=True) == before
    assert counts() == before and not AccessLog.objects.filter(username="after the backup").exists()
    assert Person.objects.get(pk=world.person_id).family_name == "Quillfeather"


def _cut_inside_a_chunk(preamble, framed):
    return preamble + b"".join(framed)[:-10]


def _without_the_end(preamble, framed):
    return preamble + b"".join(framed[:-1])


def _swapped(preamble, framed):
    return preamble + b"".join([framed[0], framed[2], framed[1], *framed[3:]])


def _one_bit_flipped(preamble, framed):
    chunk = bytearray(framed[2])
    chunk[40] ^= 1
    return preamble + b"".join([*framed[:2], bytes(chunk), *framed[3:]])


def _with_trailing_bytes(preamble, framed):
    return preamble + b"".join(framed) + b"\x00"


def _another_backups_chunk(preamble, framed):
    other = preamble.replace(preamble[-33:-1], b"0" * 32)
    return other + b"".join(framed)


DAMAGE = [
    (_cut_inside_a_chunk, "backup_incomplete", "incomplete"),
    (_without_the_end, "backup_incomplete", "incomplete"),
    (_swapped, "backup_damaged", "chunk 1 does not authenticate"),
    (_one_bit_flipped, "backup_damaged", "chunk 2 does not authenticate"),
    (_with_trailing_bytes, "backup_damaged", "after its end"),
    (_another_backups_chunk, "backup_damaged", "chunk 0 does not authenticate"),
]


@pytest.mark.parametrize(("damage", "code", "says"), DAMAGE, ids=[d.__name__.strip("_") for d, _c, _s in DAMAGE])
def test_a_damaged_backup_is_refused_and_changes_nothing(world, key, tmp_path, monkeypatch, damage, code, says):
    monkeypatch.setattr(backup, "ROWS_PER_CHUNK", 5)  # many chunks, so that they can be cut and swapped
    path = tmp_path / "haven.backup"
    before = backup.write_backup(path, key)
    preamble, framed = chunks(path)
    assert len(framed) > 20
    path.write_bytes(damage(preamble, framed))
    # --force empties the tables first: the refusal must roll that back as well
    with pytest.raises(Refused, match=says) as refused:
        backup.restore_backup(path, key, force=True)
    assert refused.value.code == code
    assert counts() == before and Person.objects.get(pk=world.person_id).family_name == "Quillfeather"


def test_a_wrong_key_another_file_or_other_migrations_are_refused(world, key, tmp_path):
    path = tmp_path / "haven.backup"
    before = backup.write_backup(path, key)
    with pytest.raises(Refused, match="another key") as refused:
        backup.restore_backup(path, backup.parse_key(backup.generate_key()), force=True)
    assert refused.value.code == "backup_wrong_key"
    (tmp_path / "notes.txt").write_text("not a backup")
    with pytest.raises(Refused, match="not a Haven backup"):
        backup.restore_backup(tmp_path / "notes.txt", key, force=True)
    MigrationRecorder.Migration.objects.filter(app="justice").order_by("-name").first().delete()
    with pytest.raises(Refused, match="migrations of justice") as refused:
        backup.restore_backup(path, key, force=True)
    assert refused.value.code == "backup_migrations"
    assert counts() == before


def test_the_backup_key_is_its_own():
    with pytest.raises(Refused, match="haven backup keygen") as refused:
        backup.parse_key("")
    assert refused.value.code == "backup_key_missing"
    with pytest.raises(Refused, match="32 random bytes"):
        backup.parse_key(base64.b64encode(b"short").decode())
    with pytest.raises(Refused, match="must not be a key of HAVEN_DATA_KEY"):
        backup.parse_key(settings.HAVEN_DATA_KEY.split(",")[0])


def test_the_commands(world, tmp_path, monkeypatch, capsys):
    assert haven(["backup", "keygen"]) == 0
    new_key = capsys.readouterr().out.strip()
    assert len(base64.urlsafe_b64decode(new_key)) == 32
    path = str(tmp_path / "haven.backup")
    monkeypatch.delenv("HAVEN_BACKUP_KEY", raising=False)
    assert haven(["backup", path]) == 2
    assert "haven backup: HAVEN_BACKUP_KEY is not set. Make a key with 'haven backup keygen'" in capsys.readouterr().err

    monkeypatch.setenv("HAVEN_BACKUP_KEY", new_key)
    before = counts()
    assert haven(["backup", path]) == 0
    said = capsys.readouterr()
    assert not said.out and "persons.person: 2\n" in said.err and f"written to {path}" in said.err
    assert haven(["backup", "--quiet", path]) == 0
    assert capsys.readouterr() == ("", "")
    assert haven(["restore", path]) == 2
    assert "haven restore: The database already holds data" in capsys.readouterr().err
    assert haven(["restore", "--force", "--quiet", path]) == 0
    # the data as it was, plus one trace: the restore itself (each backup left one too, in the data replaced)
    after = counts()
    assert capsys.readouterr() == ("", "") and after.pop("audit.auditevent") == before.pop("audit.auditevent") + 2
    assert after == before
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))[-2:] == [
        Verb.BACKUP_WRITTEN, Verb.BACKUP_RESTORED]
