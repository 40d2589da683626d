"""Fixtures shared by every app's tests.

The Belgian and Dutch profiles and the five library seeds are loaded once per test database (one
per xdist worker), in ``django_db_setup``, instead of once per test: loading them is most of the
cost of a small test. A test still sees exactly what it asks for. It runs in a transaction that
rolls back, and a dataset it does not ask for (fixture ``belgium``, ``netherlands`` or ``library``)
is deleted inside that transaction, so a test of the loader or the importer starts from an empty
database as before. Tests on ``transactional_db`` (live server, browser) end with a flush; the
datasets are loaded again after them.
"""

import pytest

from haven.jurisdictions import profile


class Dataset:
    """Data loaded once into the test database, and the rows it added (table → primary keys), so
    that a test which did not ask for it can delete exactly those rows in its own transaction."""

    def __init__(self, fixture: str, load):
        self.fixture = fixture
        self._load = load
        self.rows: dict[tuple[str, str], list] = {}
        self.result = None

    def load(self, connection):
        before = _primary_keys(connection)
        self.result = self._load()
        after = _primary_keys(connection)
        self.rows = {table: sorted(after[table] - before.get(table, set())) for table in after}
        self.rows = {table: keys for table, keys in self.rows.items() if keys}

    def present(self, connection) -> bool:
        if not self.rows:
            return self.result is not None
        (table, column), keys = next(iter(self.rows.items()))
        with connection.cursor() as cursor:
            quote = connection.ops.quote_name
            # Table and column names come from the models' metadata, never from input.
            cursor.execute(f"SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s", [keys[0]])  # noqa: S608
            return cursor.fetchone() is not None

    def delete(self, connection):
        # Plain DELETEs of exactly the rows this dataset added (a closed set: nothing outside it
        # refers to them), in one transaction so the deferred foreign-key checks see the end state.
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for (table, column), keys in self.rows.items():
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    placeholders = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} IN ({placeholders})",  # noqa: S608
                                   chunk)


def _primary_keys(connection) -> dict[tuple[str, str], set]:
    from django.apps import apps

    keys = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed:
                continue
            table = (meta.db_table, meta.pk.column)
            if table not in keys:
                cursor.execute(f"SELECT {quote(table[1])} FROM {quote(table[0])}")  # noqa: S608
                keys[table] = {row[0] for row in cursor.fetchall()}
    return keys


def _import_seeds():
    from haven.library.services import import_paths
    from haven.library.tests.seeds import find_seeds, seed_paths

    found = find_seeds()
    if found is None:
        return None  # the ``library`` fixture fails with the reason, as it always did
    report = import_paths(seed_paths(found))
    assert not report.failed, report.failed
    return report


# The library first, into the empty database: its helplines stay unlinked, as when a test imported
# the seeds without a profile; ``library`` links them when the test also asks for a profile.
DATASETS = [Dataset("library", _import_seeds), Dataset("belgium", lambda: profile.load("be")),
            Dataset("netherlands", lambda: profile.load("nl"))]


def _load_missing(connection):
    from django.db import transaction

    with transaction.atomic():
        for dataset in DATASETS:
            if not dataset.present(connection):
                dataset.load(connection)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import connection

    from haven.jurisdictions.models import Jurisdiction

    with django_db_blocker.unblock():
        if Jurisdiction.objects.exists():  # a database kept with --reuse-db: start from an empty one
            call_command("flush", interactive=False, verbosity=0)
        for dataset in DATASETS:
            dataset.result = None
        _load_missing(connection)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    flags = {}
    if marker:  # django_db(transaction=False, reset_sequences=False, ...), by position or by name
        flags = {**dict(zip(("transaction", "reset_sequences"), marker.args, strict=False)), **marker.kwargs}
    return bool(flags.get("transaction") or flags.get("reset_sequences")
                or {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames))


def _uses_db(item) -> bool:
    return bool(item.get_closest_marker("django_db") or {"db", "transactional_db", "live_server",
                                                          "django_db_reset_sequences"} & set(item.fixturenames))


@pytest.fixture(autouse=True)
def _only_the_datasets_asked_for(request):
    """Delete, inside this test's transaction, the preloaded datasets the test did not ask for."""
    if not _uses_db(request.node):
        return
    request.getfixturevalue("db")  # the marker or the requested fixture decides whether it is transactional
    from django.db import connection, transaction

    unwanted = [dataset for dataset in DATASETS if dataset.fixture not in request.fixturenames]
    with transaction.atomic():
        for dataset in unwanted:
            if dataset.present(connection):
                dataset.delete(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is not None and _uses_db(item) and _transactional(item):
        # The flush after a transactional test emptied the tables: load the datasets again.
        from django.db import connection

        with item.session.config.stash[_BLOCKER].unblock():
            _load_missing(connection)
    return result


_BLOCKER = pytest.StashKey()


@pytest.fixture(scope="session", autouse=True)
def _keep_the_blocker(request, django_db_blocker):
    request.config.stash[_BLOCKER] = django_db_blocker


@pytest.fixture(scope="session")
def preloaded(django_db_setup) -> dict[str, Dataset]:
    """The datasets loaded once per test database, by the name of the fixture that shows them."""
    return {dataset.fixture: dataset for dataset in DATASETS}


@pytest.fixture
def belgium(db):
    """The Belgian profile, loaded as `haven profile load be` would (once per test database)."""
    from haven.jurisdictions.models import Jurisdiction

    return Jurisdiction.objects.get(code="BE")


@pytest.fixture
def netherlands(db):
    from haven.jurisdictions.models import Jurisdiction

    return Jurisdiction.objects.get(code="NL")


@pytest.fixture
def member(db):
    """``member(organisation, role, username=None)`` → a user with that one membership."""
    from haven.organisations.models import Membership, User

    def make(organisation, role, username=None):
        username = username or f"{organisation.slug}-{role}"
        user = User.objects.create_user(username=username, password="correct horse battery staple")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return make


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright. Required in CI; skipped elsewhere when missing."""
    import os
    import shutil

    executable = os.environ.get("HAVEN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """The locale middleware leaves the language of the test client's last request active in the
    thread; without this a test's language would depend on which test its worker ran before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a full sign-in: password and one-time code
    (haven.access requires the second factor for roles that see identities). Tests of the
    second factor itself sign in through the pages."""
    from django.test import Client

    plain = Client.force_login

    def force_login(self, user, backend=None):
        plain(self, user, backend)
        from haven.access.testing import verify_session

        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
