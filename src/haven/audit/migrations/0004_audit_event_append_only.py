"""Audit events are append-only in the database itself, like the access log (migration 0002).

One update stays possible: deleting a user empties ``user_id`` of their events (ON DELETE SET
NULL) and changes nothing else; the username column keeps who it was. Every other UPDATE, and
every DELETE on PostgreSQL, is refused whatever code runs. SQLite refuses the same UPDATEs
(DELETE stays possible there because the test runner empties tables with it).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION haven_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL AND OLD.user_id IS NOT NULL
            AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION haven_audit_event_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS haven_audit_event_append_only();
"""
_UNCHANGED = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in (
    "id", "at", "username", "organisation_id", "address", "via", "verb", "target", "target_organisation_id",
    "before", "after"))
SQLITE_UP = f"""
CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
WHEN NOT (NEW.user_id IS NULL AND OLD.user_id IS NOT NULL AND {_UNCHANGED})
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"


def run(sql_by_vendor):
    def apply(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            if schema_editor.connection.vendor == "sqlite":
                schema_editor.execute(sql)
            else:
                with schema_editor.connection.cursor() as cursor:
                    cursor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_event")]

    operations = [
        migrations.RunPython(run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
                             run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})),
    ]
