"""Load (or update) the technique library from routines/content/*.toml.

What each file holds is described once, in routines/content/schema.py; the loading itself is
routines.content.loader.load(). Idempotent: a second run reports every row unchanged.
"""

from django.core.management.base import BaseCommand, CommandError

from routines.content.loader import LoadError, load


class Command(BaseCommand):
    help = "Load (or update) the technique library from routines/content/*.toml."

    def handle(self, *args, **options):
        try:
            report = load()
        except LoadError as exc:
            raise CommandError(f"The library was not loaded, nothing changed:\n{exc}") from exc
        if options["verbosity"]:
            state = "Library loaded" if report.changed else "Library already up to date"
            self.stdout.write(self.style.SUCCESS(f"{state}:"))
            for line in report.lines():
                self.stdout.write(f"  {line}")
