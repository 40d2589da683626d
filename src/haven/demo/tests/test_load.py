"""``haven load``: a short real run on PostgreSQL, and the proof's arithmetic without a server."""

import json
import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import psycopg
import pytest

from haven.cli import main as haven
from haven.demo import load


def postgres_server() -> str:
    """The server the suite's PostgreSQL pass uses (``DATABASE_URL``, else ``HAVEN_TEST_POSTGRES_URL``,
    as ``scripts/run_tests.py`` decides), pointed at its maintenance database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("HAVEN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/haven")
    return urlsplit(url)._replace(path="/postgres").geturl()


def require_postgres(url: str) -> None:
    try:
        with psycopg.connect(url, connect_timeout=5):
            return
    except psycopg.Error as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL does not answer at {url}: {exc}")
        pytest.skip(f"PostgreSQL does not answer at {url} (required in CI only): {exc}")


@pytest.mark.postgres
def test_a_short_run_loses_nothing_and_doubles_nothing(tmp_path):
    server = postgres_server()
    require_postgres(server)
    env = dict(os.environ, HAVEN_VAR_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603 - this Python, fixed arguments
        [sys.executable, "-m", "haven.cli", "load", "--users", "4", "--seconds", "5", "--workers", "2",
         "--database-url", server, "--json"],
        env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["requests"] > 0 and figures["ok"]
    assert (figures["errors"], figures["lost"], figures["doubled"]) == (0, 0, 0), figures
    assert figures["acknowledged"]["signals"] > 0
    assert figures["latency_ms"]["read"]["p50"] is not None
    with psycopg.connect(server) as conn:
        name = figures["database"].split()[0]
        assert conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name]).fetchone() == (0,)


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((load.LOOPBACK, port))
            probe.listen()
        except OSError:
            return False
        return True


class Boom(Exception):
    """A load run that breaks half-way."""


def test_the_server_group_ends_even_when_the_run_breaks(tmp_path, monkeypatch):
    # The workers share the listening socket: the port is free only when the whole group is gone.
    monkeypatch.setenv("HAVEN_VAR_DIR", str(tmp_path))
    with pytest.raises(Boom), load.server(f"sqlite:///{tmp_path / 'load.sqlite3'}", workers=2) as port:
        assert not _port_is_free(port)
        raise Boom
    assert _port_is_free(port)


def tally(**kwargs) -> load.Tally:
    tally = load.Tally()
    for name, value in kwargs.items():
        setattr(tally, name, value)
    return tally


def test_every_acknowledged_write_found_once_is_a_clean_run():
    seen = tally(signals={"load-r-0-1": 10, "load-r-0-2": 11}, sent_markers={"load-r-0-1", "load-r-0-2", "load-r-0-3"},
                 transitions=[(10, "intake"), (10, "file_complaint")])
    verdict = load.check(seen, [("load-r-0-1", 10), ("load-r-0-2", 11), ("load-r-0-3", 12)],
                         [(10, "intake"), (10, "file_complaint"), (11, "presume")])
    # A signal whose answer never came (marker 3) may be in the database, once.
    assert (verdict.lost, verdict.doubled) == ([], [])


def test_a_lost_signal_or_transition_is_found():
    seen = tally(signals={"load-r-0-1": 10, "load-r-0-2": 11}, sent_markers={"load-r-0-1", "load-r-0-2"},
                 transitions=[(10, "intake"), (11, "presume")])
    verdict = load.check(seen, [("load-r-0-1", 10)], [(10, "intake")])
    assert verdict.lost == ["signal load-r-0-2 (case 11)", "transition presume of case 11"]
    assert verdict.doubled == []
    # The marker found under another case than the server answered is not the acknowledged write.
    assert load.check(seen, [("load-r-0-1", 10), ("load-r-0-2", 99)], [(10, "intake"), (11, "presume")]).lost == [
        "signal load-r-0-2 (case 11)"]


def test_a_doubled_write_is_found_acknowledged_or_not():
    seen = tally(signals={"load-r-0-1": 10}, sent_markers={"load-r-0-1", "load-r-0-2"},
                 transitions=[(10, "intake")])
    verdict = load.check(seen, [("load-r-0-1", 10), ("load-r-0-1", 13), ("load-r-0-2", 11), ("load-r-0-2", 12),
                                ("load-r-9-9", 14)],
                         [(10, "intake"), (10, "intake"), (11, "file_complaint"), (11, "file_complaint")])
    assert verdict.lost == []
    assert verdict.doubled == ["signal load-r-0-1 ×2", "signal load-r-0-2 ×2", "signal load-r-9-9 never sent",
                               "transition intake of case 10 ×2", "transition file_complaint of case 11 ×2"]
    twice = tally(transitions=[(10, "intake"), (10, "intake")])
    assert load.check(twice, [], [(10, "intake")]).doubled == ["transition intake of case 10 acknowledged ×2"]


def test_the_figures_say_failed_on_any_error_loss_or_double():
    seen = tally(latencies={"read": [0.010, 0.020, 0.030, 0.040], "write": [0.100]}, conflicts=2, retried=1)
    clean = load.summary(seen, load.Verdict(), 2.0, users=1, seconds=2, workers=1, database="x (dropped)")
    assert clean["ok"] and clean["requests"] == 5 and clean["throughput"] == 2.5
    assert clean["latency_ms"]["read"] == {"count": 4, "p50": 20.0, "p95": 40.0, "p99": 40.0}
    assert "OK" in load.render(clean) and "conflicts     2" in load.render(clean)
    lost = load.summary(seen, load.Verdict(lost=["signal m"]), 2.0, users=1, seconds=2, workers=1, database="x")
    assert not lost["ok"] and load.render(lost).endswith("FAILED")
    seen.errors.append("GET /api/v1/cases/: 500")
    assert not load.summary(seen, load.Verdict(), 2.0, users=1, seconds=2, workers=1, database="x")["ok"]
    assert not load.summary(load.Tally(), load.Verdict(), 2.0, users=1, seconds=2, workers=1, database="x")["ok"]


def test_the_throwaway_database_is_on_the_given_server_under_a_new_name():
    admin, url, name = load.throwaway_database("postgres://postgres@db.example:5433/haven?sslmode=require")
    assert admin == "postgres://postgres@db.example:5433/haven?sslmode=require"
    assert url == f"postgres://postgres@db.example:5433/{name}?sslmode=require" and name.startswith("haven_load_")
    assert load.throwaway_database(None)[0] == load.DEFAULT_SERVER
    assert load.throwaway_database("postgres://postgres@127.0.0.1:5432")[0] == load.DEFAULT_SERVER
    assert load.throwaway_database("postgres://x@h/db")[2] != load.throwaway_database("postgres://x@h/db")[2]
    with pytest.raises(ValueError, match="PostgreSQL"):
        load.throwaway_database("sqlite:///tmp.sqlite3")


def test_out_of_bounds_asks_are_refused_before_anything_starts(capsys):
    assert haven(["load", "--users", "0"]) == 2
    assert capsys.readouterr().err == f"haven load: --users must be between 1 and {load.MAX_USERS}\n"
    assert haven(["load", "--seconds", str(load.MAX_SECONDS + 1)]) == 2
    assert "--seconds must be" in capsys.readouterr().err
