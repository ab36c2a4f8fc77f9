"""The HTML reprs and a page of the built docs, loaded in a real browser (headless Chromium).

Hostile names and reasons (``<img src=x onerror=...>``, ``<script>``) must show as text and
never run. Each page carries positive controls: a script of its own that runs, and an image
of its own whose ``onerror`` fires. Only once both have run is the absence of
``window.__pwned`` (which every payload sets) evidence that no payload ran. Screenshots go
to ``build/browser-artifacts/``.

Needs Chromium and chromedriver (Debian's ``chromium`` and ``chromium-driver``; ``.ci/run``
installs them). Without them the test fails with what to install; set
``PIPELINEKIT_NO_BROWSER=1`` to skip it knowingly.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.display.helpers import IMG, SCRIPT
from tests.display.pages import reprs

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "browser-artifacts"
#: The docs page with the hostile example (docs/notebooks.md).
DOCS_PAGE = "notebooks"
_WAIT = 10.0  # seconds for the page's own controls to run
#: The docs build, as .ci/run runs it: warnings are errors.
_SPHINX = (sys.executable, "-m", "sphinx", "-E", "-q", "-W", "--keep-going", "-b", "html")


def _executable(name: str, *candidates: str) -> str:
    for candidate in (name, *candidates):
        found = shutil.which(candidate)
        if found is not None:
            return found
    pytest.fail(
        f"{name} is not installed: the browser test needs Chromium and chromedriver "
        "(apt-get install -y chromium chromium-driver; .ci/run does it), or set "
        "PIPELINEKIT_NO_BROWSER=1 to skip it"
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium driven through chromedriver."""
    if os.environ.get("PIPELINEKIT_NO_BROWSER") == "1":
        pytest.skip("PIPELINEKIT_NO_BROWSER=1")
    from selenium import webdriver  # noqa: PLC0415  # only this test needs selenium
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = _executable("chromium", "chromium-browser", "google-chrome")
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(argument)
    service = Service(executable_path=_executable("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


#: The page's own script and broken image: they prove scripts run and onerror fires here.
_CONTROLS = (
    "<script>window.__control_script = 1;</script>"
    '<img id="control" src="does-not-exist.png" onerror="window.__control_img = 1" alt="">'
)


def _page(sections: dict[str, str]) -> str:
    body = "".join(
        f'<section id="{name}"><h2>{html.escape(name)}</h2>{fragment}</section>'
        for name, fragment in sections.items()
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>pipelinekit reprs</title>'
        f"</head><body>{_CONTROLS}{body}</body></html>"
    )


def _load(driver: Any, path: Path, *, controls: bool) -> None:
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    driver.get(path.as_uri())
    wait = WebDriverWait(driver, _WAIT)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    if controls:
        wait.until(lambda d: d.execute_script("return window.__control_img === 1"))
        assert driver.execute_script("return window.__control_script") == 1


def _assert_nothing_ran(driver: Any, name: str) -> None:
    from selenium.common.exceptions import NoAlertPresentException  # noqa: PLC0415

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    try:
        alert = driver.switch_to.alert
        text = alert.text
    except NoAlertPresentException:
        pass
    else:
        pytest.fail(f"an alert is open on {name}: {text!r}")
    assert driver.execute_script("return typeof window.__pwned") == "undefined"


def test_reprs_render_hostile_text_as_text(browser: Any, tmp_path: Path) -> None:
    """Verdict, checklist, score, grade and metric tables: the markup is visible text."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    sections = reprs()
    page = tmp_path / "reprs.html"
    page.write_text(_page(sections), encoding="utf-8")
    _load(browser, page, controls=True)
    _assert_nothing_ran(browser, "reprs")
    for name in sections:
        shown = browser.find_element(By.ID, name).text
        assert IMG in shown or SCRIPT in shown, (name, shown)
    assert browser.find_elements(By.CSS_SELECTOR, "section img") == []
    assert browser.find_elements(By.CSS_SELECTOR, "section script") == []
    # The checklist is nested lists; the metric tables are tables.
    assert browser.find_elements(By.CSS_SELECTOR, "#checklist ul ul li")
    assert browser.find_elements(By.CSS_SELECTOR, "#funnel table td")


def test_built_docs_page(browser: Any, tmp_path: Path) -> None:
    """The docs site, built with warnings as errors, shows the hostile example as text."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    out = tmp_path / "site"
    build = subprocess.run(  # noqa: S603  # our own interpreter and arguments
        [*_SPHINX, str(ROOT / "docs"), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr
    _load(browser, out / f"{DOCS_PAGE}.html", controls=False)
    _assert_nothing_ran(browser, f"docs-{DOCS_PAGE}")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "<img src=x onerror=alert(1)>" in body
    assert browser.find_elements(By.CSS_SELECTOR, "article img[src=x]") == []
