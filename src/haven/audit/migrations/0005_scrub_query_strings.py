"""Scrub the query strings that earlier versions wrote into the access log's ``path``.

A person search (``/cases/search/?name=…``, ``/api/v1/persons/?name=…``) left the name searched in
clear in the log, outside the identity vault. The log now keeps paths only (``services.path_only``);
this migration removes the query string of every row written before. It is the one sanctioned change
of the append-only log: the trigger is lifted for this statement only, inside the migration's
transaction, by the table owner that runs migrations. It says how many rows it scrubbed.
"""

from django.db import migrations

PG_DISABLE = "ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only"
PG_ENABLE = "ALTER TABLE audit_accesslog ENABLE TRIGGER audit_accesslog_append_only"
SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_accesslog_no_update"
SQLITE_CREATE = """CREATE TRIGGER IF NOT EXISTS audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
BEGIN SELECT RAISE(ABORT, 'the access log is append-only (UPDATE refused)'); END"""
SCRUB = {
    "postgresql": "UPDATE audit_accesslog SET path = split_part(path, '?', 1) WHERE strpos(path, '?') > 0",
    "sqlite": "UPDATE audit_accesslog SET path = substr(path, 1, instr(path, '?') - 1) WHERE instr(path, '?') > 0",
}


def scrub(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in SCRUB:
        raise RuntimeError(f"no scrub written for {vendor}: refusing to leave names in the access log")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PG_DISABLE if vendor == "postgresql" else SQLITE_DROP)
        cursor.execute(SCRUB[vendor])
        scrubbed = cursor.rowcount
        cursor.execute(PG_ENABLE if vendor == "postgresql" else SQLITE_CREATE)
    if scrubbed:
        print(f"\n  access log: removed the query string of {scrubbed} row(s)")  # noqa: T201


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_event_append_only")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
