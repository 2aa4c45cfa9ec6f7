"""Shared by the browser tests: one study site built per session, one headless Chromium.

Tests that need them skip (with the reason shown) when Chromium or Playwright is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.commands.build import build

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def browser_missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped bank, one variant per family, built once for every browser test."""
    out = tmp_path_factory.mktemp("browser-site") / "site"
    build(ROOT / "question_bank", out, variants=1, seed=0)
    return out


@pytest.fixture(scope="session")
def browser():
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page in a fresh context, with every console error, page error and request recorded."""

    def __init__(self, browser, site: Path):
        self.browser, self.site = browser, site
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = None

    def open(self, path: str):
        if self.page is None:
            self.page = self.context.new_page()
            self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                         if m.type in ("error", "warning") else None)
            self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
            self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto((self.site / path).as_uri())
        return self.page

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file://")]


@pytest.fixture
def visit(browser, built_site):
    v = Visit(browser, built_site)
    yield v
    v.context.close()
