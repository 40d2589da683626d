"""The access log is append-only in the database itself, whatever code connects.

PostgreSQL: a trigger refuses UPDATE and DELETE on every row. SQLite: a trigger refuses UPDATE
(DELETE stays possible there because the test runner empties tables with it; Haven's model and
queryset refuse it). TRUNCATE and DROP need the table owner: in production Haven should connect
as a role that does not own its tables (see docs/threat-model.md).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION haven_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION haven_access_log_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS haven_access_log_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER IF NOT EXISTS audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
BEGIN SELECT RAISE(ABORT, 'the access log is append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_accesslog_no_update;"


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
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
                             run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})),
    ]
