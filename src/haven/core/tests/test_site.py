import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.cli import main as haven
from haven.organisations.models import Membership, User
from haven.organisations.roles import Role

ROOT = Path(__file__).resolve().parents[4]


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise connection.Database.OperationalError("gone")

    monkeypatch.setattr("haven.core.views.connection", Unreachable())
    assert client.get("/healthz").status_code == 503


def test_security_headers(client, db):
    response = client.get("/help/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script" not in response.content.decode()


def test_the_help_page_costs_a_fixed_number_of_queries(client, belgium):
    client.get("/help/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/help/")
    assert len(queries) <= 5, [q["sql"] for q in queries]


def test_demo_creates_one_user_per_role_with_random_passwords(db, tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    assert haven(["demo", "--no-serve", "--no-cases"]) == 0
    first = json.loads((tmp_path / "demo-credentials.json").read_text())
    assert (tmp_path / "demo-credentials.json").stat().st_mode & 0o077 == 0
    roles = {entry["role"] for entry in first.values()}
    assert set(Role.values) <= roles
    for username, entry in first.items():
        user = User.objects.get(username=username)
        assert user.check_password(entry["password"])
        if entry["role"] in Role.values:
            membership = Membership.objects.get(user=user)
            assert membership.role == entry["role"] and membership.organisation.name == entry["organisation"]
    assert len({entry["password"] for entry in first.values()}) == len(first)
    assert haven(["demo", "--no-serve", "--no-cases"]) == 0  # a second run works and draws new passwords
    second = json.loads((tmp_path / "demo-credentials.json").read_text())
    assert set(second) == set(first)
    assert all(second[name]["password"] != first[name]["password"] for name in first)


def test_profile_command_reports_and_refuses(db, tmp_path, capsys):
    assert haven(["profile", "load", "be", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["be"]["support_services"] == {"created": 7}
    bad = tmp_path / "bad.yaml"
    bad.write_text("jurisdiction: {code: BE}\n")
    assert haven(["profile", "load", str(bad)]) == 2
    assert "missing field 'legal_test'" in capsys.readouterr().err


def test_bind_must_be_host_and_port():
    assert haven(["serve", "--bind", "8000"]) == 2  # a usage error, before anything is served


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HAVEN_", "DJANGO_"))}
    env.update(
        SECRET_KEY="a-production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        HAVEN_DATA_KEY="dGVzdHMtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=",
        ALLOWED_HOSTS="haven.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        DJANGO_SETTINGS_MODULE="haven.settings",
        HAVEN_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secrets(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HAVEN_", "DJANGO_")) and key not in {"SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="haven.settings", HAVEN_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
