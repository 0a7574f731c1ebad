"""Two personal pages with 10,000 people in the database: how fast, and what the queries do.

    createdb -h 127.0.0.1 -U postgres massage_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/massage_scale \\
        .venv/bin/python scripts/scale_check.py [--people 10000] [--requests 200]
    dropdb -h 127.0.0.1 -U postgres massage_scale

1. migrate, load the library, `seed_demo --people N` (timed; a second run adds nobody), then
   VACUUM ANALYZE, as autovacuum would after a bulk load, so the planner has statistics;
2. in this process, through Django's test client, with DEBUG=0: the person's dashboard and
   the page of their current course (15 sessions), 10 requests each to warm up, then
   `--requests` timed ones: p50, p99 and the mean;
3. the queries of one more request of each (CaptureQueriesContext), each run again under
   EXPLAIN (ANALYZE, BUFFERS) inside a transaction that is rolled back.

No network and no gunicorn: this isolates what the database and the view cost as the tables
grow; `make bench` measures the pages under load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--person", default="demo0001")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (see the docstring).")
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "scale-check-only-not-secret"),
        ALLOWED_HOSTS="testserver",
        # An empty folder: no static file is asked for, and whitenoise wants one to exist.
        STATIC_ROOT=tempfile.mkdtemp(prefix="scale-check-static-"),
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        DJANGO_SETTINGS_MODULE="massage.settings",
    )
    for command in (["migrate", "-v0"], ["load_library", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, check=True)
    began = time.monotonic()
    seed = ["seed_demo", "--people", str(args.people), "-v2"]
    subprocess.run([PYTHON, "manage.py", *seed], cwd=ROOT, check=True)
    print(f"seed_demo --people {args.people}: {time.monotonic() - began:.0f} s wall clock\n")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    vacuum_analyze()
    print_sizes()
    client, pages = pages_of(args.person)
    for name, url in pages:
        timings = timed(client, url, args.requests)
        print(
            f"{name} {url}: p50 {percentile(timings, 50):.1f} ms, "
            f"p99 {percentile(timings, 99):.1f} ms, mean {statistics.fmean(timings):.1f} ms "
            f"({args.requests} requests)"
        )
    for name, url in pages:
        explain(client, name, url)
    return 0


def vacuum_analyze() -> None:
    from django.db import connection

    began = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE: {time.monotonic() - began:.0f} s")


def print_sizes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid))
            FROM pg_stat_user_tables WHERE relname LIKE 'routines_%%' OR relname = 'auth_user'
            ORDER BY pg_total_relation_size(relid) DESC LIMIT 10
            """
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        total = cursor.fetchone()[0]
    print(f"database size {total}; largest tables (rows, size with indexes and TOAST):")
    for name, count, size in rows:
        print(f"  {name:32} {count:>10,} {size:>10}")
    print()


def pages_of(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from routines.models import Course

    person = get_user_model().objects.get(username=username)
    course = Course.objects.owned_by(person).get(status=Course.Status.ACTIVE)
    client = Client()
    client.force_login(person)
    return client, [("dashboard", "/dashboard/"), ("course page", course.get_absolute_url())]


def timed(client, url: str, requests: int) -> list[float]:
    for _ in range(10):
        client.get(url)
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    return timings


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def explain(client, name: str, url: str) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = [q["sql"] for q in captured.captured_queries]
    print(f"\n=== {name} {url}: {len(queries)} queries ===")
    for number, sql in enumerate(queries, start=1):
        print(f"\n--- {number}. {sql[:300]}{' ...' if len(sql) > 300 else ''}")
        if not sql.lstrip().upper().startswith("SELECT"):
            print("(not a SELECT: not explained)")
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()))
            transaction.set_rollback(True)


if __name__ == "__main__":
    sys.exit(main())
