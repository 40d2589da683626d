"""Run the whole suite on PostgreSQL (the production database) and again on SQLite.

PostgreSQL is required when CI is set; elsewhere its pass is skipped, with a warning, when no
server answers at HAVEN_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/haven).
Extra arguments go to pytest. The suite runs on every core with pytest-xdist (each worker has its
own test database, test_haven_gw0 …); pass ``-n 0`` to run it in one process.
"""

import argparse
import os
import subprocess
import sys

import psycopg

POSTGRES_URL = os.environ.get("HAVEN_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/haven")
# Test by test ("load"), not by file: the permission matrix is one file of many slow tests, and a
# worker's first test pays for its database (the profiles and seeds load once per worker).
PARALLEL = ["-n", "auto", "--dist", "load"]


def postgres_answers() -> bool:
    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, connect_timeout=5):
            return True
    except psycopg.Error as exc:
        print(f"PostgreSQL does not answer at {admin_url}: {exc}", file=sys.stderr)
        return False


def pytest(database_url: str, label: str, extra: list[str]) -> int:
    env = dict(os.environ, DATABASE_URL=database_url)
    marker = [] if database_url.startswith("postgres") else ["-m", "not postgres"]
    parallel = [] if any(arg.startswith(("-n", "--numprocesses")) for arg in extra) else PARALLEL
    print(f"\n=== tests on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *marker, *parallel, *extra], env=env)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["postgres", "sqlite"])
    args, extra = parser.parse_known_args()
    in_ci = bool(os.environ.get("CI"))
    results = {}
    if args.only in (None, "postgres"):
        if postgres_answers():
            results["postgres"] = pytest(POSTGRES_URL, "PostgreSQL", extra)
        elif in_ci:
            print("CI is set: PostgreSQL is required.", file=sys.stderr)
            return 1
        else:
            print("WARNING: skipping the PostgreSQL pass (not in CI).", file=sys.stderr)
    if args.only in (None, "sqlite"):
        results["sqlite"] = pytest("", "SQLite", extra)
    print("\n" + ", ".join(f"{name}: {'passed' if code == 0 else 'FAILED'}" for name, code in results.items()))
    return 0 if results and all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
