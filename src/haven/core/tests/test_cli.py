"""The ``haven`` command: Django management commands, reachable by both doors, and a server that stops."""

import base64
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haven.cli import main as haven
from haven.core.management.base import Failed

# (command line, what its output says) on a database with the Belgian profile and nothing else.
COMMANDS = [
    (["vault", "status"], "every value is under the primary key"),
    (["vault", "rotate", "--batch", "10"], "blind index: 0"),
    (["retention", "--dry-run"], "0 identities would be erased"),
    (["audit", "export", "--format", "json", "--since", "2999-01-01"], "[]"),
    (["deadlines", "digest", "--date", "2024-01-15", "--days", "7"], "0 digest(s) sent for 2024-01-15"),
    (["justice", "stats", "--by", "year"], "# exact counts, no disclosure control"),
    (["requests", "stats", "--by", "kind,outcome"], "# days from the request to its final answer"),
    (["notify", "--date", "2024-01-15"], "0 notice(s) for 2024-01-15"),
    (["library", "search", "forced begging"], "no match"),
    (["library", "claims", "--status", "pending"], "no claims"),
    (["profile", "load", "be"], "be: "),
]


@pytest.mark.parametrize(("argv", "says"), COMMANDS, ids=[" ".join(argv[:2]) for argv, _ in COMMANDS])
def test_every_command_answers_through_haven_and_call_command(argv, says, belgium, capsys):
    assert haven(argv) == 0
    through_haven = capsys.readouterr()
    assert says in through_haven.out and not through_haven.err
    assert haven(["manage", *argv]) == 0  # the older spelling
    assert capsys.readouterr().out == through_haven.out
    out = io.StringIO()
    call_command(*argv, stdout=out)
    assert out.getvalue() == through_haven.out


def test_json_shapes_stay_as_they_were(belgium, capsys):
    assert haven(["justice", "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"exact": True, "disclosure_control": None, "rows": []}
    assert haven(["library", "claims", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert haven(["profile", "load", "be", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"be"}


def test_keygen_works_before_the_settings_can_load(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HAVEN_", "DJANGO_")) and key != "SECRET_KEY"}
    env["HAVEN_VAR_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "haven.cli", "vault", "keygen"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(base64.urlsafe_b64decode(result.stdout.strip())) == 32


def test_keygen_gives_a_new_key_through_every_door(capsys):
    assert haven(["vault", "keygen"]) == 0
    without_django = capsys.readouterr().out.strip()
    assert haven(["vault", "--no-color", "keygen"]) == 0  # through Django's dispatcher
    through_django = capsys.readouterr().out.strip()
    out = io.StringIO()
    call_command("vault", "keygen", stdout=out)
    keys = {without_django, through_django, out.getvalue().strip()}
    assert len(keys) == 3 and all(len(base64.urlsafe_b64decode(key)) == 32 for key in keys)


def test_refusals_read_under_the_command_name_with_their_exit_code(belgium, capsys):
    assert haven(["justice", "stats", "--by", "year,colour"]) == 2
    assert capsys.readouterr().err == "haven justice stats: unknown dimension(s) colour\n"
    assert haven(["justice", "stats", "--jurisdiction", "xx"]) == 2
    assert capsys.readouterr().err == "haven justice stats: no jurisdiction 'xx'\n"
    assert haven(["justice", "import", "missing.csv", "--as", "nobody"]) == 2
    assert capsys.readouterr().err == "haven justice import: no active user 'nobody'\n"
    with pytest.raises(CommandError, match="unknown dimension") as refused:
        call_command("justice", "stats", by="colour")
    assert refused.value.returncode == 2


def test_a_usage_error_exits_with_2(capsys):
    assert haven(["library"]) == 2
    assert "the following arguments are required: ACTION" in capsys.readouterr().err
    assert haven(["no-such-command"]) == 1
    assert "Unknown command: 'no-such-command'" in capsys.readouterr().err


def test_an_import_where_every_file_failed_exits_with_1_and_says_why_once(db, tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert haven(["library", "import", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err == "missing.txt: FAILED: no such file\n"
    with pytest.raises(Failed) as failed:
        call_command("library", "import", str(missing), stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == 1


def test_help_lists_havens_commands_first(capsys):
    assert haven(["--help"]) == 0
    text = capsys.readouterr().out
    own = text.index("Haven's commands:")
    for name in ["audit", "deadlines", "demo", "justice", "library", "notify", "profile", "requests", "retention",
                 "serve", "vault"]:
        assert own < text.index(f"\n    {name} ") < text.index("[auth]")
    assert haven(["manage"]) == 0 and "Haven's commands:" in capsys.readouterr().out


class Exec(Exception):
    """Stands for the exec that would replace the test process."""


@pytest.fixture
def execv(monkeypatch):
    def fake(path, argv):
        raise Exec(path, argv)

    monkeypatch.setattr(os, "execv", fake)


def test_serve_becomes_gunicorn_of_the_same_python(execv, monkeypatch):
    monkeypatch.setenv("HAVEN_FORWARDED_ALLOW_IPS", "10.0.0.1")
    with pytest.raises(Exec) as replaced:
        call_command("serve", "--bind", "127.0.0.1:8123", "--workers", "5")
    path, argv = replaced.value.args
    assert path == sys.executable
    assert argv == [sys.executable, "-m", "gunicorn", "haven.wsgi:application", "--bind", "127.0.0.1:8123",
                    "--workers", "5", "--access-logfile", "-", "--forwarded-allow-ips", "10.0.0.1"]


def test_serve_collects_the_static_files_its_storage_needs_before_serving(execv, tmp_path, settings):
    """Found in operation: ``haven serve`` on a database set up by ``haven demo --no-serve`` answered 500 on
    every page (no static manifest) until someone ran collectstatic."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with pytest.raises(Exec):
        call_command("serve", "--bind", "127.0.0.1:8125", "--workers", "1")
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_demo_sets_up_then_becomes_its_server(execv, db, tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    with pytest.raises(Exec) as replaced:
        haven(["demo", "--no-cases", "--reload", "--bind", "127.0.0.1:8124"])
    _path, argv = replaced.value.args
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8124" and argv[argv.index("--workers") + 1] == "2"
    assert argv[-1] == "--reload"
    assert (tmp_path / "demo-credentials.json").exists()
    assert "open http://127.0.0.1:8124/" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_is_free(port: int) -> bool:
    # SO_REUSEADDR as gunicorn itself binds: a closed connection's TIME_WAIT does not count, a listener does.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
        return True


def test_sigterm_to_the_started_process_stops_the_server_and_frees_the_port(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HAVEN_", "DJANGO_"))}
    env.update(HAVEN_DEBUG="1", HAVEN_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    started = subprocess.Popen([sys.executable, "-m", "haven.cli", "serve", "--bind", f"127.0.0.1:{port}",
                                "--workers", "1"], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert started.poll() is None, started.stderr.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    assert json.loads(response.read()) == {"status": "ok", "database": "ok"}
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer /healthz"
                time.sleep(0.2)
        os.kill(started.pid, signal.SIGTERM)  # the started process only, as systemd or a shell would
        started.wait(timeout=10)
        deadline = time.monotonic() + 5
        while not _port_is_free(port):
            assert time.monotonic() < deadline, f"port {port} still held after the started process ended"
            time.sleep(0.1)
    finally:
        try:
            os.killpg(started.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        started.wait(timeout=10)
        started.stderr.close()
