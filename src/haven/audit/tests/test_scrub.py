"""The migration that scrubs names searched out of the access log written by earlier versions."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from haven.audit.models import AccessLog, Action, Purpose

scrub = import_module("haven.audit.migrations.0005_scrub_query_strings").scrub


def test_scrub_removes_query_strings_and_keeps_the_log_append_only(db, capsys):
    old = [AccessLog.objects.create(action=Action.SEARCH, purpose=Purpose.CASEWORK, path=path) for path in (
        "/cases/search/?name=Zenobia", "/api/v1/persons/?name=quillf%C3%A9ather&x=1")]
    kept = AccessLog.objects.create(action=Action.HISTORY, purpose=Purpose.CASEWORK, path="/cases/7/history/")
    scrub(None, SimpleNamespace(connection=connection))
    assert [AccessLog.objects.get(pk=e.pk).path for e in (*old, kept)] == [
        "/cases/search/", "/api/v1/persons/", "/cases/7/history/"]
    assert "removed the query string of 2 row(s)" in capsys.readouterr().out
    with pytest.raises(DatabaseError), transaction.atomic():  # the trigger is back
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_accesslog SET path = 'x'")
