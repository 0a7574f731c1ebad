"""Every listed page is valid HTML (W3C Nu checker) and has no serious accessibility violation
(axe-core in Chromium)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.e2e.conftest import log_in
from tests.pages import logged_in_urls, public_urls

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# vnu knows no htmx: it reports each hx-* attribute with exactly this message.
HTMX_ATTRIBUTE = re.compile(r"Attribute “hx-[^”]+” not allowed on element “[^”]+” at this point\.")
BLOCKING_IMPACTS = {"serious", "critical"}


def run_vnu(folder: Path) -> list[dict]:
    """Check every .html file in `folder` with one JVM start (about 1.2 s each)."""
    if shutil.which("java") is None:
        pytest.fail("java is missing: install Java 17 (apt-get install -y default-jre-headless).")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci`.")
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
    result = subprocess.run(
        [*command, "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        return json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu gave no JSON report (exit {result.returncode}):\n{result.stderr}")


def fetch(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def test_every_page_is_valid_html(client, library, user, tmp_path):
    documents = {url: fetch(client, url) for url in public_urls()}
    client.force_login(user)
    documents |= {url: fetch(client, url) for url in logged_in_urls(user)}
    url_of_file = {}
    for number, (url, html) in enumerate(documents.items()):
        path = tmp_path / f"page-{number:03}.html"
        path.write_text(html, encoding="utf-8")
        url_of_file[path.name] = url

    messages = run_vnu(tmp_path)

    errors = [
        f"{url_of_file.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} "
        f"line {m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '').strip()}"
        for m in messages
        if not HTMX_ATTRIBUTE.fullmatch(m.get("message", ""))
    ]
    assert not errors, "HTML errors:\n" + "\n".join(errors)


def test_no_serious_accessibility_violation(page, library_live, user):
    problems = []
    broken = []
    page.on(
        "response",
        lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )

    def audit(url: str) -> None:
        response = page.goto(library_live + url)
        assert response is not None, f"{url} gave no response"
        assert response.ok, f"{url} answered {response.status}"
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] not in BLOCKING_IMPACTS:
                continue
            for node in violation["nodes"]:
                problems.append(
                    f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}\n"
                    f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}"
                )

    for url in public_urls():
        audit(url)
    log_in(page, library_live, user)
    for url in logged_in_urls(user):
        audit(url)

    assert not problems, "Accessibility violations:\n" + "\n".join(problems)
    assert not broken, "Pages requested missing or failing resources:\n" + "\n".join(broken)
