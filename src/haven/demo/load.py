"""``haven load``: a bounded load test on loopback, and the proof that no acknowledged write was lost.

Many users of several organisations read and write at once through the API of a real server
(gunicorn started as ``haven serve`` starts it) on a throwaway PostgreSQL database. Afterwards the
database itself is asked whether every write the server acknowledged is there exactly once: a
signal by the unique ``place`` marker its request carried, a transition by its line on the case
timeline. The clients are threads of this process with ``http.client`` and talk to 127.0.0.1 only;
their number, the run's length and the requests per client are bounded.

The harness drives the whole system from outside, so it lives in the top layer (the demo app), which
may import every other.
"""

import http.client
import io
import json
import math
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import dj_database_url
import psycopg
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from psycopg import sql

from haven.access.mfa import new_totp_device
from haven.access.models import ApiToken
from haven.cases.models import Signal, TimelineEntry, TimelineEvent
from haven.jurisdictions.models import Region
from haven.organisations.models import Membership, Organisation, User
from haven.organisations.roles import Role

LOOPBACK = "127.0.0.1"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
MAX_USERS = 200
MAX_SECONDS = 900
# A client that answers in a millisecond must still stop: this many requests per second of the run.
MAX_REQUESTS_PER_SECOND = 200
REQUEST_TIMEOUT = 60  # seconds; longer than gunicorn's own worker timeout, so a stuck worker shows as a 5xx
JURISDICTION = "BE"

# Who the clients are, taken in turn: caseworkers of the three reception centres, police officers
# of three forces, and an analyst (who sees no case and only reads). Several clients of the same
# organisation act on the same cases, which is where stale versions (409) come from.
CAST = [
    ("pag-asa", Role.CASEWORKER),
    ("police-brussels-capital", Role.OFFICER),
    ("payoke", Role.CASEWORKER),
    ("police-antwerpen", Role.OFFICER),
    ("surya", Role.CASEWORKER),
    ("police-central-thb", Role.OFFICER),
    ("myria", Role.ANALYST),
]
WRITING_ROLES = {Role.CASEWORKER, Role.OFFICER}

# The transitions the clients apply: they take no parameters and each can happen at most once on a
# case in the Belgian procedure (a state left for good, or a fact that forbids a second time), so a
# case whose timeline shows one of them twice had a write applied twice.
# (The magistrate's confirmation is no longer one of them: it answers a request, ADR 0036.)
TRANSITIONS = ("presume", "intake", "file_complaint")

# What one client does, by weight: reads of the case list, a case, the referrals; writes of a new
# signal and of a transition on one of its organisation's cases.
READER_MIX = {"cases": 5, "case": 4, "referrals": 2}
WRITER_MIX = {"cases": 4, "case": 4, "referrals": 2, "signal": 3, "transition": 3}


@dataclass
class Player:
    """One client: a user of one organisation, with its API token."""

    username: str
    organisation: str
    role: str
    token: str
    regions: list[str]

    @property
    def writes(self) -> bool:
        return self.role in WRITING_ROLES


@dataclass
class Tally:
    """What the clients saw: timings, errors, conflicts and every write the server acknowledged."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0  # 409 on a stale version
    retried: int = 0  # transitions tried again after reading the case again
    signals: dict[str, int] = field(default_factory=dict)  # acknowledged: marker → case id
    sent_markers: set[str] = field(default_factory=set)  # every marker sent, acknowledged or not
    transitions: list[tuple[int, str]] = field(default_factory=list)  # acknowledged: (case id, action)

    @property
    def requests(self) -> int:
        return sum(len(times) for times in self.latencies.values())

    def merge(self, other: "Tally") -> None:
        for kind, times in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(times)
        self.errors += other.errors
        self.conflicts += other.conflicts
        self.retried += other.retried
        self.signals.update(other.signals)
        self.sent_markers |= other.sent_markers
        self.transitions += other.transitions


@dataclass
class Verdict:
    """Acknowledged writes missing from the database, and writes the database holds more than once."""

    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)


# --- the throwaway database ----------------------------------------------------------------------


def throwaway_database(server_url: str | None) -> tuple[str, str, str]:
    """(URL of the database to connect to for creating and dropping, URL of a new database, its name)
    on the server of ``server_url``; the name is random so that runs never meet."""
    given = urlsplit(server_url or DEFAULT_SERVER)
    if given.scheme not in {"postgres", "postgresql"}:
        raise ValueError("the load test needs a PostgreSQL server (postgres://…)")
    name = f"haven_load_{secrets.token_hex(4)}"
    admin = given if given.path.strip("/") else given._replace(path="/postgres")
    return admin.geturl(), given._replace(path=f"/{name}").geturl(), name


def create_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(admin_url: str, name: str) -> None:
    # FORCE: a server worker killed mid-request may leave its session behind for a moment.
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def using_database(url: str):
    """Point this thread's default connection at ``url`` for the block, then back where it was
    (what Django's test runner does with its test database), whatever the engine was before."""
    config = connections.configure_settings({DEFAULT_DB_ALIAS: dj_database_url.parse(url, conn_max_age=0)})
    saved_config = connections.settings[DEFAULT_DB_ALIAS]
    saved = connections[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = config[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = load_backend(config[DEFAULT_DB_ALIAS]["ENGINE"]).DatabaseWrapper(
        config[DEFAULT_DB_ALIAS], DEFAULT_DB_ALIAS)
    ContentType.objects.clear_cache()  # ids of another database
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections.settings[DEFAULT_DB_ALIAS] = saved_config
        connections[DEFAULT_DB_ALIAS] = saved
        ContentType.objects.clear_cache()


def prepare(users: int) -> list[Player]:
    """Migrate the (empty, current) database, load the Belgian profile and create ``users`` users
    taken in turn from ``CAST``, each with a confirmed authenticator and an API token.

    A token is issued only after the second factor (``POST /api/v1/auth/token/``), and the API takes
    a token's user as verified; issuing it directly skips the one-time code, not the check."""
    call_command("migrate", verbosity=0, interactive=False)
    call_command("profile", "load", "be", stdout=io.StringIO())
    organisations = {o.slug: o for o in Organisation.objects.filter(jurisdiction__code=JURISDICTION)}
    regions = list(Region.objects.filter(jurisdiction__code=JURISDICTION, is_national=False)
                   .values_list("code", flat=True))
    players = []
    for number in range(users):
        slug, role = CAST[number % len(CAST)]
        user = User.objects.create(username=f"load-{number:03d}-{role.replace('_', '-')}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, organisation=organisations[slug], role=role)
        new_totp_device(user, confirmed=True)
        _token, key = ApiToken.issue(user)
        players.append(Player(user.username, slug, role, key, regions))
    return players


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@contextmanager
def server(database_url: str, workers: int, wait: float = 120):
    """``haven serve`` on a free loopback port against ``database_url``, in its own process group;
    yields the port once ``/healthz`` answers, and always ends the whole group on the way out."""
    started, port = start_server(database_url, workers, wait)
    try:
        yield port
    finally:
        end_server(started)


def start_server(database_url: str, workers: int, wait: float = 120) -> tuple[subprocess.Popen, int]:
    """``server`` for a caller that must hold the process (to kill the group in the middle of a
    run): (the process, its port) once ``/healthz`` answers; end it with ``end_server``."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, ALLOWED_HOSTS=LOOPBACK)
    with tempfile.TemporaryFile() as errors:
        started = subprocess.Popen(  # noqa: S603 - this Python, fixed arguments, no shell
            [sys.executable, "-m", "haven.cli", "serve", "--bind", f"{LOOPBACK}:{port}", "--workers", str(workers)],
            env=env, start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            _wait_for_health(port, started, errors, wait)
        except BaseException:
            end_server(started)
            raise
    return started, port


def _wait_for_health(port: int, started: subprocess.Popen, errors, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        if started.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"the server stopped while starting:\n{errors.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not answer /healthz within {wait:.0f} s")
        time.sleep(0.2)


def end_server(started: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's whole group (arbiter and workers), SIGKILL if it lingers."""
    for sent, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(started.pid, sent)
        except ProcessLookupError:
            break
        try:
            started.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue


# --- the clients ---------------------------------------------------------------------------------


class Client:
    """One user's session against the server: a loop of weighted reads and writes until the end."""

    def __init__(self, player: Player, port: int, run: str, number: int, seed: int):
        self.player = player
        self.port = port
        self.marker_prefix = f"load-{run}-{number}-"
        self.sequence = 0
        self.random = random.Random(seed)  # noqa: S311 - a mix of requests, not a secret
        self.tally = Tally()
        self.cases: list[int] = []  # ids of its organisation's cases it has seen
        self.connection: http.client.HTTPConnection | None = None

    def run(self, deadline: float, budget: int) -> None:
        mix = WRITER_MIX if self.player.writes else READER_MIX
        kinds, weights = list(mix), list(mix.values())
        try:
            while time.monotonic() < deadline and self.tally.requests < budget:
                getattr(self, f"do_{self.random.choices(kinds, weights)[0]}")()
        finally:
            if self.connection is not None:
                self.connection.close()

    # One request; (status, parsed body or None). A failure to talk is status 0.
    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        headers = {"Authorization": f"Bearer {self.player.token}", "Accept": "application/json",
                   # As the TLS proxy in front of a production server says; gunicorn trusts loopback.
                   "X-Forwarded-Proto": "https"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        kind = "read" if method == "GET" else "write"
        began = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(LOOPBACK, self.port, timeout=REQUEST_TIMEOUT)
            self.connection.request(method, path, body=payload, headers=headers)
            answer = self.connection.getresponse()
            raw = answer.read()
            status = answer.status
        except (OSError, http.client.HTTPException) as exc:
            self.tally.latencies[kind].append(time.perf_counter() - began)
            self.tally.errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            self.connection.close()
            self.connection = None
            return 0, None
        self.tally.latencies[kind].append(time.perf_counter() - began)
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        return status, data

    def fail(self, method: str, path: str, status: int, data) -> None:
        detail = data.get("code") or data.get("detail") if isinstance(data, dict) else None
        self.tally.errors.append(f"{method} {path}: {status}" + (f" ({detail})" if detail else ""))

    def do_cases(self) -> None:
        status, data = self.request("GET", "/api/v1/cases/")
        if status != 200:
            self.fail("GET", "/api/v1/cases/", status, data)
            return
        seen = [row["id"] for row in data.get("results", []) if row.get("owner") == self.player.organisation]
        self.cases = sorted(set(self.cases) | set(seen))

    def do_case(self) -> dict | None:
        if not self.cases:
            return self.do_cases()
        path = f"/api/v1/cases/{self.random.choice(self.cases)}/"
        status, data = self.request("GET", path)
        if status != 200:
            self.fail("GET", path, status, data)
            return None
        return data

    def do_referrals(self) -> None:
        status, data = self.request("GET", "/api/v1/referrals/")
        if status != 200:
            self.fail("GET", "/api/v1/referrals/", status, data)

    def do_signal(self) -> None:
        self.sequence += 1
        marker = f"{self.marker_prefix}{self.sequence}"
        # Yesterday in UTC is never in the future of the server's day, whatever its time zone.
        detected_on = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
        body = {"organisation": self.player.organisation, "detected_on": detected_on,
                "region": self.random.choice(self.player.regions), "place": marker,
                "observations": "load test", "exploitation_forms": [self.random.choice(["labour", "sexual"])]}
        self.tally.sent_markers.add(marker)
        status, data = self.request("POST", "/api/v1/cases/", body)
        if status == 201:
            self.tally.signals[marker] = data["id"]
            self.cases.append(data["id"])
        else:
            self.fail("POST", "/api/v1/cases/", status, data)

    def do_transition(self) -> None:
        """Read one of its cases, apply an allowed transition with the version read; on a stale
        version (409) read again and try once more."""
        if not self.cases:
            return self.do_signal()
        case_id = self.random.choice(self.cases)
        for attempt in range(2):
            path = f"/api/v1/cases/{case_id}/"
            status, case = self.request("GET", path)
            if status != 200:
                self.fail("GET", path, status, case)
                return None
            allowed = [a["action"] for a in case.get("actions", []) if a["allowed"] and a["action"] in TRANSITIONS]
            if not allowed:
                return None
            action = self.random.choice(allowed)
            path = f"/api/v1/cases/{case_id}/transitions/"
            status, data = self.request("POST", path, {"action": action, "version": case["version"]})
            if status == 200:
                self.tally.transitions.append((case_id, action))
                return None
            if status != 409:
                self.fail("POST", path, status, data)
                return None
            self.tally.conflicts += 1
            if attempt == 0:
                self.tally.retried += 1
        return None


def drive(players: list[Player], port: int, seconds: float, run: str) -> tuple[Tally, float]:
    """Run one client thread per player for ``seconds``; returns what they saw and the wall time."""
    deadline = time.monotonic() + seconds
    budget = max(1, int(seconds * MAX_REQUESTS_PER_SECOND))
    clients = [Client(player, port, run, number, seed=number) for number, player in enumerate(players)]
    threads = [threading.Thread(target=client.run, args=(deadline, budget), name=f"load-{n}", daemon=True)
               for n, client in enumerate(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - began
    tally = Tally()
    for client, thread in zip(clients, threads, strict=True):
        if thread.is_alive():
            tally.errors.append(f"{thread.name} did not stop")
        tally.merge(client.tally)
    return tally, elapsed


# --- the proof -----------------------------------------------------------------------------------


def written(run: str) -> tuple[list[tuple[str, int]], list[tuple[int, str]]]:
    """What the database holds of this run: (marker, case id) of every signal, and (case id, action)
    of every transition line on those cases' timelines."""
    signals = list(Signal.objects.filter(place__startswith=f"load-{run}-").values_list("place", "case_id"))
    cases = {case_id for _marker, case_id in signals}
    lines = TimelineEntry.objects.filter(case_id__in=cases, event=TimelineEvent.TRANSITION).values_list(
        "case_id", "data")
    return signals, [(case_id, data.get("action", "")) for case_id, data in lines]


def check(tally: Tally, signals: list[tuple[str, int]], transitions: list[tuple[int, str]]) -> Verdict:
    """Compare the acknowledged writes with the rows: each acknowledged signal once, under the case id
    the server answered; each acknowledged transition once on its case's timeline; nothing twice,
    acknowledged or not (a request that failed may still have been applied, but never twice)."""
    verdict = Verdict()
    by_marker: dict[str, list[int]] = {}
    for marker, case_id in signals:
        by_marker.setdefault(marker, []).append(case_id)
    for marker, case_id in sorted(tally.signals.items()):
        found = by_marker.get(marker, [])
        if case_id not in found:
            verdict.lost.append(f"signal {marker} (case {case_id})")
    for marker, found in sorted(by_marker.items()):
        if len(found) > 1:
            verdict.doubled.append(f"signal {marker} ×{len(found)}")
        elif marker not in tally.sent_markers:
            verdict.doubled.append(f"signal {marker} never sent")
    lines = Counter(transitions)
    for case_id, action in sorted(set(tally.transitions)):
        if lines[(case_id, action)] == 0:
            verdict.lost.append(f"transition {action} of case {case_id}")
    for (case_id, action), count in sorted(lines.items()):
        if count > 1:
            verdict.doubled.append(f"transition {action} of case {case_id} ×{count}")
    for (case_id, action), count in sorted(Counter(tally.transitions).items()):
        if count > 1:  # the server acknowledged the same once-only step twice
            verdict.doubled.append(f"transition {action} of case {case_id} acknowledged ×{count}")
    return verdict


def percentile(times: list[float], p: float) -> float | None:
    """Nearest-rank percentile, in milliseconds (None without samples)."""
    if not times:
        return None
    ordered = sorted(times)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000, 1)


def summary(tally: Tally, verdict: Verdict, elapsed: float, **setting) -> dict:
    """The figures of a run, as printed and as ``--json``; ``ok`` is what the exit code says."""
    return {
        **setting,
        "requests": tally.requests,
        "elapsed_seconds": round(elapsed, 1),
        "throughput": round(tally.requests / elapsed, 1) if elapsed else 0.0,
        "latency_ms": {kind: {"count": len(times), "p50": percentile(times, 50), "p95": percentile(times, 95),
                              "p99": percentile(times, 99)} for kind, times in tally.latencies.items()},
        "errors": len(tally.errors),
        "error_samples": tally.errors[:10],
        "conflicts": tally.conflicts,
        "retried": tally.retried,
        "acknowledged": {"signals": len(tally.signals), "transitions": len(tally.transitions)},
        "lost": len(verdict.lost),
        "doubled": len(verdict.doubled),
        "lost_samples": verdict.lost[:10],
        "doubled_samples": verdict.doubled[:10],
        "ok": not (tally.errors or verdict.lost or verdict.doubled) and tally.requests > 0,
    }


def render(figures: dict) -> str:
    """The figures as lines for a terminal."""
    lines = [
        f"users {figures['users']}, {figures['seconds']:g} s, {figures['workers']} gunicorn workers, "
        f"database {figures['database']}",
        f"requests      {figures['requests']} in {figures['elapsed_seconds']} s: {figures['throughput']} req/s",
    ]
    for kind, times in figures["latency_ms"].items():
        lines.append(f"{kind:<13} {times['count']} requests, p50 {times['p50']} ms, p95 {times['p95']} ms, "
                     f"p99 {times['p99']} ms")
    acknowledged = figures["acknowledged"]
    lines += [
        f"errors        {figures['errors']}",
        f"conflicts     {figures['conflicts']} (409 on a stale version; {figures['retried']} retried after reading "
        "again)",
        f"acknowledged  {acknowledged['signals']} signals, {acknowledged['transitions']} transitions, each checked "
        "in the database",
        f"lost writes   {figures['lost']}",
        f"doubled       {figures['doubled']}",
    ]
    for name in ("error_samples", "lost_samples", "doubled_samples"):
        lines += [f"  {sample}" for sample in figures[name]]
    lines.append("OK" if figures["ok"] else "FAILED")
    return "\n".join(lines)


def run(users: int, seconds: float, workers: int, server_url: str | None = None, keep: bool = False,
        say=print) -> dict:
    """The whole load test: a new database, a server on it, the clients, the proof; the server is
    always stopped and the database dropped (unless ``keep``). Returns ``summary``'s figures."""
    if not 1 <= users <= MAX_USERS:
        raise ValueError(f"--users must be between 1 and {MAX_USERS}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"--seconds must be more than 0 and at most {MAX_SECONDS}")
    if workers < 1:
        raise ValueError("--workers must be at least 1")
    admin_url, database_url, name = throwaway_database(server_url)
    run_id = secrets.token_hex(4)
    create_database(admin_url, name)
    try:
        with using_database(database_url):
            say(f"preparing {name}: migrations, the Belgian profile, {users} users…")
            players = prepare(users)
            say(f"starting the server ({workers} workers) and {users} clients for {seconds:g} s…")
            with server(database_url, workers) as port:
                tally, elapsed = drive(players, port, seconds, run_id)
            signals, transitions = written(run_id)
            verdict = check(tally, signals, transitions)
    finally:
        if keep:
            say(f"database {name} kept")
        else:
            drop_database(admin_url, name)
    return summary(tally, verdict, elapsed, users=users, seconds=seconds, workers=workers,
                   database=f"{name} ({'kept' if keep else 'dropped'})")
