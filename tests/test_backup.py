"""Backups restore: a dump taken as docs/operations.md says, restored into an empty database,
still holds a person's routine with its steps and their course with its sessions."""

import shutil
import sqlite3
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from routines.courses import planner
from routines.models import Routine
from routines.safety import Person
from tests.routine_helpers import safe_routine

pytestmark = pytest.mark.django_db(transaction=True)

QUERY = """
    SELECT r.name, COUNT(DISTINCT s.id), c.name, COUNT(DISTINCT cs.id)
    FROM routines_routine r
    JOIN routines_routinestep s ON s.routine_id = r.id
    JOIN routines_course c ON c.routine_id = r.id
    JOIN routines_coursesession cs ON cs.course_id = c.id
    JOIN auth_user u ON u.id = r.owner_id
    WHERE u.username = %s
    GROUP BY r.name, c.name
"""


@pytest.fixture
def person_with_a_course(library, user):
    routine = safe_routine(user, name="Backed-up back")
    sessions = planner.plan_course(
        routine, Person(), total_sessions=10, rhythm="daily", start_date=timezone.localdate()
    )
    planner.create_course(user, routine, sessions, name="Backed-up course", rhythm="daily")
    assert Routine.objects.filter(owner=user).count() == 1
    return user


def restore_sqlite(tmp_path):
    """`sqlite3 db.sqlite3 ".backup ..."`, then open the copy as the restored database."""
    copy = tmp_path / "backup.sqlite3"
    with sqlite3.connect(copy) as target:
        connection.ensure_connection()
        connection.connection.backup(target)
    restored = sqlite3.connect(copy)
    try:
        return restored.execute(QUERY.replace("%s", "?"), ("alice",)).fetchall()
    finally:
        restored.close()


def restore_postgresql(tmp_path):
    """pg_dump --format=custom, then pg_restore into a new, empty database."""
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is needed (apt-get install postgresql-client)"
    settings = connection.settings_dict
    params = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": str(settings["PORT"] or 5432),
        "user": settings["USER"] or "postgres",
    }
    dump = tmp_path / "backup.dump"
    auth = ["-h", params["host"], "-p", params["port"], "-U", params["user"]]
    env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", *auth, "-f", str(dump), settings["NAME"]],
        check=True,
        env=env,
    )
    scratch = f"restore_check_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        dbname="postgres", autocommit=True, **params, password=env["PGPASSWORD"]
    )
    admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *auth, "-d", scratch, str(dump)],
            check=True,
            env=env,
        )
        with psycopg.connect(dbname=scratch, **params, password=env["PGPASSWORD"]) as restored:
            return restored.execute(QUERY, ("alice",)).fetchall()
    finally:
        admin.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')
        admin.close()


def test_a_restored_backup_holds_the_persons_routine_and_course(person_with_a_course, tmp_path):
    if connection.vendor == "postgresql":
        rows = restore_postgresql(tmp_path)
    else:
        rows = restore_sqlite(tmp_path)

    assert rows == [("Backed-up back", 3, "Backed-up course", 10)]
