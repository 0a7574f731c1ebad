"""Demo people with a realistic history, for load tests and demonstrations.

    manage.py seed_demo --people 50 [--password ...]

Idempotent: people already there are left as they are; a larger count adds only the missing
ones. Their usernames are demo0001, demo0002, ...; the password comes from --password, else the
DEMO_PASSWORD environment variable, else routines.demo.DEFAULT_PASSWORD ("backwise-demo").
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from routines import demo


class Command(BaseCommand):
    help = "Create demo people (demo0001...) with screenings, routines, courses and session runs."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=50, help="How many (default 50).")
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", demo.DEFAULT_PASSWORD),
            help=f"Their password (default: $DEMO_PASSWORD, else {demo.DEFAULT_PASSWORD!r}).",
        )
        parser.add_argument(
            "--batch", type=int, default=250, help="People written per transaction."
        )

    def handle(self, *args, people, password, batch, verbosity, **options):
        if people < 0 or batch < 1:
            raise CommandError("--people must be 0 or more and --batch at least 1.")

        def progress(done: int, total: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {done}/{total} people written")

        now = timezone.now()
        try:
            seeded = demo.seed(
                people,
                today=timezone.localdate(now),
                now=now,
                password=password,
                batch=batch,
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{seeded.created} demo people created, {seeded.existing} already there "
                    f"({seeded.seconds:.1f} s). Log in as {demo.username(1)}."
                )
            )
