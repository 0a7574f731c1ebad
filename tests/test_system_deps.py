"""`make test` on a bare Debian machine: what is missing is installed, or named exactly."""

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system-deps.sh"


def run(tmp_path, purpose, tools):
    """The script with a PATH holding only `tools`: no apt-get, no java, npm or node."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in tools:
        os.symlink(shutil.which(tool), bin_dir / tool)
    return subprocess.run(
        ["/bin/bash", str(SCRIPT), purpose],
        env={"PATH": str(bin_dir)},
        cwd=SCRIPT.parent.parent,
        capture_output=True,
        text=True,
    )


def test_without_apt_get_it_stops_with_the_exact_command(tmp_path):
    result = run(tmp_path, "test", ["id", "python3"])

    assert result.returncode == 1
    assert "sudo apt-get install -y" in result.stderr
    for package in ("default-jre-headless", "npm", "nodejs", "gettext"):
        assert package in result.stderr


def test_make_run_asks_only_for_what_running_needs(tmp_path):
    result = run(tmp_path, "run", ["id", "python3"])

    assert result.returncode == 1
    assert "sudo apt-get install -y gettext" in result.stderr  # msgfmt, for the translations


def test_make_run_needs_nothing_more_once_gettext_is_there(tmp_path):
    result = run(tmp_path, "run", ["id", "python3", "msgfmt"])

    assert result.returncode == 0, result.stderr


def test_this_machine_has_everything_the_tests_need():
    result = subprocess.run(
        ["bash", str(SCRIPT), "test"], capture_output=True, text=True, cwd=SCRIPT.parent.parent
    )

    assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout


def test_make_bench_asks_for_wrk(tmp_path):
    result = run(tmp_path, "bench", ["id", "python3"])

    assert result.returncode == 1
    assert "sudo apt-get install -y wrk" in result.stderr
