"""Faults: a database that goes away, turns read-only or fills up is a clean 503, and a server or an
import killed half-way leaves only whole changes.

The first tests run on both engines; those that kill PostgreSQL sessions, make a transaction
read-only or kill ``haven serve`` and ``haven library import`` run in the PostgreSQL pass. The
killing tests work on a throwaway database of their own (``haven.demo.load``'s helpers), never on
the shared server itself.
"""

import datetime
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, InternalError, OperationalError, connection, transaction
from django.test import Client

from haven.access.models import ApiToken
from haven.cases.actions import procedure
from haven.cases.actions.signals import record_signal
from haven.cases.models import Case, ProcedureStep, Signal, TimelineEntry, TimelineEvent
from haven.core.middleware import is_database_unavailable
from haven.demo import load
from haven.library.models import Page
from haven.library.tests.seeds import find_seeds, seed_paths
from haven.organisations.models import Organisation
from haven.organisations.roles import Role

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture
def officer(belgium, member):
    return member(Organisation.objects.get(jurisdiction=belgium, slug="police-brussels-capital"), Role.OFFICER)


@pytest.fixture
def case(officer):
    police = Organisation.objects.get(slug="police-brussels-capital")
    return record_signal(officer, police, detected_on=YESTERDAY, region="brussels", exploitation_forms={"sexual"})


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_transition(client, case, headers):
    return client.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "presume", "version": case.version},
                       content_type="application/json", **headers)


def post_transition_page(client, case):
    return client.post(f"/cases/{case.pk}/transition/", {"action": "presume", "version": case.version},
                       HTTP_REFERER=f"http://testserver/cases/{case.pk}/")


def trace(case) -> tuple:
    """What a transition changes: the case's version and state, its steps and its timeline."""
    case.refresh_from_db()
    return case.version, case.state, ProcedureStep.objects.filter(case=case).count(), \
        TimelineEntry.objects.filter(case=case).count()


def assert_database_unavailable_problem(response):
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json" and int(response["Retry-After"]) > 0
    problem = response.json()
    assert (problem["status"], problem["code"]) == (503, "database_unavailable")
    assert "Nothing was saved" in problem["detail"]


def assert_database_unavailable_page(response):
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Nothing was saved; try again in a moment." in page and "Traceback" not in page


# --- the answers, on both engines ------------------------------------------------------------------


@pytest.mark.parametrize("failure", [
    OperationalError("server closed the connection unexpectedly"),
    OperationalError("could not extend file: No space left on device"),
])
def test_a_database_failure_is_a_503_problem_on_the_api_and_a_page_elsewhere(client, officer, case, monkeypatch,
                                                                               caplog, failure):
    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(procedure, "apply_transition", fail)  # the page and the endpoint both call it
    before = trace(case)
    with caplog.at_level(logging.ERROR, logger="haven.database"):
        assert_database_unavailable_problem(post_transition(client, case, bearer(officer)))
    client.force_login(officer)
    page = post_transition_page(client, case)
    assert_database_unavailable_page(page)
    assert f'href="http://testserver/cases/{case.pk}/"' in page.content.decode()  # back to the case
    assert trace(case) == before
    lines = [r for r in caplog.records if r.name == "haven.database"]
    assert lines and all(r.levelno == logging.ERROR and r.exc_info[1] is failure for r in lines)
    assert f"POST /api/v1/cases/{case.pk}/transitions/" in lines[0].getMessage()


def test_the_page_is_in_the_users_language(client, officer, case, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("the connection is lost")

    monkeypatch.setattr(procedure, "apply_transition", fail)
    client.force_login(officer)
    page = client.post(f"/cases/{case.pk}/transition/", {"action": "presume", "version": case.version},
                       HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 503 and '<html lang="fr">' in page.content.decode()


def test_a_database_that_fails_before_any_view_runs_is_a_503_too(officer, monkeypatch):
    """Reading the session or the API token happens in middleware, before any view: the 500 handler
    answers those with the same 503 (and a real programming error stays a 500, as problem+json on the API)."""
    web = Client(raise_request_exception=False)
    web.force_login(officer)

    def lost(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "load", lost)
    assert_database_unavailable_page(web.get("/cases/"))
    monkeypatch.setattr(ApiToken, "find", classmethod(lambda cls, key: lost()))
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer whatever")
    assert_database_unavailable_problem(api.get("/api/v1/cases/"))

    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(ApiToken, "find", classmethod(lambda cls, key: bug()))
    broken = api.get("/api/v1/cases/")
    assert broken.status_code == 500 and broken.json()["code"] == "server_error"


def test_only_an_unavailable_database_is_answered_503():
    def wrapped(error, cause):
        error.__cause__ = cause
        return error

    class Psycopg(Exception):
        def __init__(self, sqlstate):
            self.sqlstate = sqlstate

    read_only = wrapped(InternalError("cannot execute UPDATE in a read-only transaction"), Psycopg("25006"))
    aborted = wrapped(InternalError("current transaction is aborted"), Psycopg("25P02"))
    assert is_database_unavailable(OperationalError("gone")) and is_database_unavailable(read_only)
    # A programming error stays a 500 that someone must look at, not a "try again".
    assert not is_database_unavailable(aborted) and not is_database_unavailable(IntegrityError("duplicate key"))
    assert not is_database_unavailable(ValueError("no database here"))


def test_healthz_still_says_503_when_the_database_does_not_answer(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    answer = client.get("/healthz")
    assert answer.status_code == 503 and answer.json() == {"status": "unavailable", "database": "error"}


# --- PostgreSQL: sessions killed, a read-only database -------------------------------------------


def postgres_server() -> str:
    """The server of the PostgreSQL pass (``DATABASE_URL``, else ``HAVEN_TEST_POSTGRES_URL``), at its
    maintenance database; these tests skip outside CI when it does not answer."""
    from urllib.parse import urlsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("HAVEN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/haven")
    url = urlsplit(url)._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(url, connect_timeout=5):
            return url
    except psycopg.Error as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but PostgreSQL does not answer at {url}: {exc}")
        pytest.skip(f"PostgreSQL does not answer at {url} (required in CI only): {exc}")


def require_postgres_tests_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the test database is not PostgreSQL (these run in the PostgreSQL pass)")


def terminate_session(settings_dict, pid: int) -> int:
    """What a server restart does to Haven's connection: the session is ended from outside. Only the
    request's own session: other tests of this worker (a live server's thread) share the database."""
    with psycopg.connect(dbname=settings_dict["NAME"], user=settings_dict["USER"], host=settings_dict["HOST"],
                         port=settings_dict["PORT"] or None, password=settings_dict["PASSWORD"] or None,
                         autocommit=True) as killer:
        return len(killer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("surface", ["api", "page"])
def test_sessions_killed_mid_transition_answer_503_write_nothing_and_the_next_request_reconnects(
        client, officer, case, monkeypatch, surface):
    """The transition has bumped the version and written its step when its session is ended; the
    request answers 503, the database rolled the whole step back, and the next request works."""
    require_postgres_tests_database()
    reached, killed = threading.Event(), threading.Event()
    write_line = procedure.log

    session = {}

    def log_after_the_kill(*args, **kwargs):
        if not reached.is_set():
            with connection.cursor() as cursor:  # the session this request writes through
                cursor.execute("SELECT pg_backend_pid()")
                session["pid"] = cursor.fetchone()[0]
            reached.set()
            assert killed.wait(30), "the sessions were not ended"
        return write_line(*args, **kwargs)

    def kill():
        reached.wait(30)
        try:
            terminate_session(connection.settings_dict, session["pid"])
        finally:
            killed.set()

    monkeypatch.setattr(procedure, "log", log_after_the_kill)
    headers = bearer(officer)
    client.force_login(officer)
    before = trace(case)
    killer = threading.Thread(target=kill)
    killer.start()
    if surface == "api":
        assert_database_unavailable_problem(post_transition(client, case, headers))
    else:
        assert_database_unavailable_page(post_transition_page(client, case))
    killer.join(30)
    assert killed.is_set()
    assert trace(case) == before  # a new connection, and no trace of the half-done step
    after = post_transition(client, case, headers) if surface == "api" else post_transition_page(client, case)
    assert after.status_code in (200, 302), after.content
    version, state, steps, lines = trace(case)
    assert (version, state, steps) == (before[0] + 1, "presumed", before[2] + 1) and lines > before[3]


@pytest.mark.postgres
def test_a_read_only_database_answers_503_and_changes_nothing(client, officer, case):
    require_postgres_tests_database()
    headers = bearer(officer)
    client.force_login(officer)
    before = trace(case)
    with read_only_database():
        assert_database_unavailable_problem(post_transition(client, case, headers))
        assert_database_unavailable_page(post_transition_page(client, case))
        assert trace(case) == before


@contextmanager
def read_only_database():
    """The test's transaction read-only, as on a standby or a database set
    ``default_transaction_read_only``: every write is refused (SQLSTATE 25006). Rolling back to
    the savepoint makes it writable again for the test's own teardown."""
    saved = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION READ ONLY")
    try:
        yield
    finally:
        transaction.savepoint_rollback(saved)


# --- PostgreSQL: the server and an import killed half-way ----------------------------------------


@pytest.fixture(scope="module")
def throwaway(django_db_blocker):
    """A new PostgreSQL database, migrated, with the Belgian profile and four API users (two
    caseworkers, two police officers); dropped at the end of the module."""
    admin_url, url, name = load.throwaway_database(postgres_server())
    load.create_database(admin_url, name)
    try:
        with django_db_blocker.unblock(), load.using_database(url):
            players = load.prepare(4)
        yield url, players
    finally:
        load.drop_database(admin_url, name)


@contextmanager
def on_database(url, django_db_blocker):
    with django_db_blocker.unblock(), load.using_database(url):
        yield


def fire(client: load.Client, stop: threading.Event) -> None:
    """Signals and transitions, one after the other, until ``stop``."""
    while not stop.is_set():
        if client.cases and client.random.random() < 0.6:
            client.do_transition()
        else:
            client.do_signal()


def acknowledged(clients) -> int:
    return sum(len(c.tally.signals) + len(c.tally.transitions) for c in clients)


@pytest.mark.postgres
def test_a_server_killed_mid_flight_leaves_only_whole_changes(throwaway, django_db_blocker):
    url, players = throwaway
    run = secrets.token_hex(4)
    stop = threading.Event()
    started, port = load.start_server(url, workers=2)
    clients = [load.Client(player, port, run, number, seed=number) for number, player in enumerate(players)]
    threads = [threading.Thread(target=fire, args=(c, stop), daemon=True) for c in clients]
    try:
        for thread in threads:
            thread.start()
        give_up = time.monotonic() + 30
        while acknowledged(clients) < 12 and time.monotonic() < give_up:  # writes in flight, some done
            time.sleep(0.05)
        assert acknowledged(clients) >= 12, [c.tally.errors[:3] for c in clients]
        os.killpg(started.pid, signal.SIGKILL)  # arbiter and workers, in the middle of requests
        started.wait(10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(load.REQUEST_TIMEOUT)
        load.end_server(started)
    tally = load.Tally()
    for c in clients:
        tally.merge(c.tally)
    assert tally.errors  # the clients felt the kill (requests cut off, then refused)

    with load.server(url, workers=1) as again:  # the restarted server works on what is left
        survivor = load.Client(players[0], again, run, 99, seed=99)
        survivor.do_signal()
        assert len(survivor.tally.signals) == 1, survivor.tally.errors
        tally.merge(survivor.tally)

    with on_database(url, django_db_blocker):
        signals, transitions = load.written(run)
        verdict = load.check(tally, signals, transitions)
        assert (verdict.lost, verdict.doubled) == ([], []), verdict  # every acknowledged write, once
        cases = {case_id for _marker, case_id in signals}
        assert Signal.objects.filter(case_id__in=cases).count() == len(cases)
        signal_lines = Counter(TimelineEntry.objects.filter(case_id__in=cases, event=TimelineEvent.SIGNAL)
                               .values_list("case_id", flat=True))
        assert signal_lines == Counter(cases)  # each signal with its one timeline line
        steps = Counter(ProcedureStep.objects.filter(case_id__in=cases).values_list("case_id", "action"))
        assert steps == Counter(transitions)  # each step with its line, no line without its step
        per_case = Counter(case_id for case_id, _action in steps.elements())
        versions = dict(Case.objects.filter(pk__in=cases).values_list("pk", "version"))
        # Only signals and transitions touched these cases: a signal is version 1, each step one more.
        assert versions == {case_id: 1 + per_case[case_id] for case_id in cases}


@pytest.mark.postgres
def test_a_library_import_killed_half_way_leaves_no_page_of_it_and_runs_again(throwaway, django_db_blocker,
                                                                              tmp_path):
    url, _players = throwaway
    seeds = find_seeds()
    if seeds is None:
        pytest.skip("the five seed pages are not here (HAVEN_SEEDS_DIR)")
    run = secrets.token_hex(4)
    folder = tmp_path / "pages"
    folder.mkdir()
    for copy in range(10):
        for seed in seed_paths(seeds):
            # A last line of its own makes every copy a new page (the library keeps one page per text).
            text = seed.read_text(encoding="utf-8") + f"\n\nFault test {run}, copy {copy}.\n"
            (folder / f"{copy:02d}_{seed.name}").write_text(text, encoding="utf-8")
    total = len(list(folder.iterdir()))
    env = dict(os.environ, DATABASE_URL=url, HAVEN_VAR_DIR=str(tmp_path))
    command = [sys.executable, "-m", "haven.cli", "library", "import", str(folder)]

    importing = subprocess.Popen(command, env=env, start_new_session=True,  # noqa: S603 - this Python, fixed arguments
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert writing(url, importing), "the import ended before it had written anything"
        os.killpg(importing.pid, signal.SIGKILL)
    finally:
        if importing.poll() is None:
            os.killpg(importing.pid, signal.SIGKILL)
        importing.wait(10)
    assert importing.returncode == -signal.SIGKILL

    with on_database(url, django_db_blocker):
        assert pages_of(run) == 0  # one transaction, killed before its commit: not one page of it

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert again.returncode == 0, again.stdout + again.stderr
    with on_database(url, django_db_blocker):
        assert pages_of(run) == total
        assert Page.objects.filter(text__contains=f"Fault test {run}, copy 0.").count() == len(seed_paths(seeds))


def writing(url: str, process: subprocess.Popen) -> bool:
    """Wait until a session on the database has written in its open transaction (it holds a
    transaction id) while ``process`` still runs; False when the process ended first."""
    with psycopg.connect(url, autocommit=True) as watcher:
        while process.poll() is None:
            busy = watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()").fetchone()[0]
            if busy:
                return True
            time.sleep(0.01)
    return False


def pages_of(run: str) -> int:
    return Page.objects.filter(text__contains=f"Fault test {run}, copy ").count()

