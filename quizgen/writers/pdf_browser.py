"""One headless Chromium (driven by Playwright) prints every page of a run, confined to its folder.

A page is printed with JavaScript off and every request routed: only regular files inside the
folder being printed load; anything else (file:// elsewhere, http(s), ws, ...) is aborted, so
an `<iframe src="file:///etc/passwd">` in exam text prints as an empty frame. Pages print in
parallel, one tab per core, each within a time limit.

Tabs are 1 px wide: templates/exam/base.html hides the body on so narrow a screen, so Chromium
skips laying the page out for a screen nobody sees and lays it out once, for print (a sixth to
a fifth of the CPU a page costs; the PDF is the same).
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from quizgen.errors import BuildError
from quizgen.messages import t
from quizgen.writers.pdf_profile import profile

FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-extensions")

VIEWPORT = {"width": 1, "height": 1}  # see the module docstring


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _path(url: str) -> Path | None:
    """The local file a file:// URL names (symlinks resolved), or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        return Path(url2pathname(parts.path)).resolve()
    except (OSError, ValueError):
        return None


def allowed(url: str, root: Path) -> bool:
    """True for a file:// URL naming a regular file inside `root`."""
    path = _path(url)
    try:
        return path is not None and path.is_relative_to(Path(root).resolve()) and path.is_file()
    except OSError:
        return False


class Guard:
    """Decides every request of every tab: the folder's files load, nothing else does.

    A refused navigation is answered 204 No Content rather than aborted: an aborted one would
    replace the page (or frame) with Chromium's error page, and printing that fails. For the
    same reason a tab's own document may navigate only while it is being opened, so a
    `<meta http-equiv="refresh">` cannot swap the page out while it prints.
    """

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.opening: dict[object, Path] = {}  # tab -> the file it is opening now

    async def __call__(self, route) -> None:
        request = route.request
        ok = allowed(request.url, self.root)
        if request.is_navigation_request():
            frame = request.frame
            if ok and frame.parent_frame is None:
                ok = self.opening.get(frame.page) == _path(request.url)
            if not ok:
                return await route.fulfill(status=204)
        if ok:
            await route.continue_()
        else:
            await route.abort("blockedbyclient")


async def _print_one(page, html: Path, timeout: float, guard: Guard, tagged: bool) -> bytes:
    html = html.resolve()  # a relative --out (the default exam-out) has no file:// URL of its own
    guard.opening[page] = html
    try:
        await page.goto(html.as_uri(), wait_until="load", timeout=timeout * 1000)
    finally:
        guard.opening.pop(page, None)
    # tagged (asked for): an accessible PDF, as Chromium's own --print-to-pdf makes (pdf.stable_ids
    # renumbers its structure ids), at about 40% more print CPU; page size and margins come from
    # the CSS @page rule.
    return await page.pdf(prefer_css_page_size=True, tagged=tagged, outline=False)


async def _print_pages(chromium: str, jobs: list[tuple[Path, Callable[[bytes], None]]], root: Path,
                       timeout: float, workers: int, tick: Callable[[int], object] | None, tagged: bool) -> None:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    guard = Guard(root)
    queue = list(reversed(jobs))  # popped from the end: first job first

    async def worker(context) -> None:
        """One tab, reused for file after file: a new tab per file costs a third more CPU."""
        page = await context.new_page()
        while queue:
            html, done = queue.pop()
            try:
                data = await asyncio.wait_for(_print_one(page, html, timeout, guard, tagged), timeout)
            except (TimeoutError, asyncio.TimeoutError, PlaywrightTimeout):
                raise BuildError(t("pdf.timeout", seconds=f"{timeout:g}"), file=str(html)) from None
            except PlaywrightError as exc:
                raise BuildError(t("pdf.failed", why=_first_line(exc)), file=str(html)) from None
            done(data)
            if tick:
                tick(1)

    with profile() as user_data:
        async with async_playwright() as pw:
            try:
                context = await pw.chromium.launch_persistent_context(
                    str(user_data), executable_path=chromium, headless=True, args=list(FLAGS),
                    chromium_sandbox=False, java_script_enabled=False, service_workers="block",
                    accept_downloads=False, viewport=VIEWPORT)
            except PlaywrightError as exc:
                raise BuildError(t("pdf.cannot_start", why=_first_line(exc)), file=chromium) from None
            try:
                await context.route("**/*", guard)
                tasks = [asyncio.create_task(worker(context)) for _ in range(min(workers, len(jobs)))]
                try:
                    await asyncio.gather(*tasks)
                except BaseException:
                    for task in tasks:
                        task.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
                    raise
            finally:
                await context.close()


def print_pages(chromium: str, jobs: list[tuple[Path, Callable[[bytes], None]]], root: Path,
                timeout: float, workers: int | None = None,
                tick: Callable[[int], object] | None = None, tagged: bool = False) -> None:
    """Print each (html, done) job in one browser; `done` receives the PDF bytes (tagged PDFs when asked)."""
    if not jobs:
        return

    def run() -> None:
        asyncio.run(_print_pages(chromium, jobs, Path(root), timeout, workers or cores(), tick, tagged))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    # Called inside a running event loop (a notebook, a Playwright sync session): use a thread.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizgen-print") as pool:
        return pool.submit(run).result()


def _first_line(exc: BaseException) -> str:
    """Playwright's message without its call-log lines or its `Class.method: ` prefix."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and not set(line.strip()) <= set("=")]
    return re.sub(r"^[A-Za-z]+\.[A-Za-z_]+: ", "", lines[0]) if lines else type(exc).__name__
