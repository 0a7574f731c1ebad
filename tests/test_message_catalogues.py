"""The Russian message catalogues: complete, compiled, and read the way Russian needs."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from routines.durations import duration

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "ru" / "LC_MESSAGES"
CATALOGUES = ["django.po", "djangojs.po"]


@pytest.mark.parametrize("name", CATALOGUES)
def test_the_russian_catalogue_has_no_untranslated_and_no_fuzzy_entries(name):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is missing: make test installs it"

    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(LOCALE / name)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert "translated message" in result.stderr


def test_the_catalogue_holds_every_message_of_the_code(tmp_path):
    """makemessages on today's code adds nothing the catalogue does not already have."""
    project = Path(__file__).resolve().parent.parent
    before = _msgids(LOCALE / "django.po")
    work = tmp_path / "project"
    shutil.copytree(
        project,
        work,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "*.sqlite3", "tests"),
    )
    subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "manage.py", "makemessages", "-l", "ru",
         "--ignore", "scripts/*", "--no-obsolete", "-v0"],
        cwd=work,
        check=True,
    )  # fmt: skip

    assert _msgids(work / "locale" / "ru" / "LC_MESSAGES" / "django.po") == before


def _msgids(path: Path) -> set[str]:
    return {line for line in path.read_text().splitlines() if line.startswith("msgid")}


def test_plurals_take_the_three_russian_forms():
    with translation.override("ru"):
        words = [
            translation.ngettext("%(counter)s step", "%(counter)s steps", n) % {"counter": n}
            for n in (1, 2, 5, 11, 21)
        ]

    assert words == ["1 шаг", "2 шага", "5 шагов", "11 шагов", "21 шаг"]


def test_durations_read_naturally_in_russian():
    with translation.override("ru"):
        assert duration(600) == "10 мин"
        assert duration(90) == "1 мин 30 с"
        assert duration(3900) == "1 ч 5 мин"
