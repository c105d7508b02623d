"""``report --pdf``: ``report.pdf`` printed from ``report.html`` by a headless Chromium on this machine.

The browser is the one the report test opens (``.ci/run`` installs Debian's ``chromium``):
``GREENIT_CHROMIUM`` when set, else the first of :data:`NAMES` on the PATH, else a Chromium that
``playwright install chromium`` left in its cache. It prints with the report's print CSS (A4,
page 1 the synthesis, running header, « page x/y », versions in the footer) and without the
browser's own header (the file's path). None found, or the print failing: a French error (exit
2) once ``report.html`` is written — the HTML never depends on a browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from greenit.errors import GreenitError

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PLAYWRIGHT = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-linux*/headless_shell")
PRINT_SECONDS = 180


def find_chromium() -> str | None:
    """The Chromium to print with, or None (see the module docstring)."""
    given = os.environ.get("GREENIT_CHROMIUM")
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    for pattern in PLAYWRIGHT:
        for candidate in sorted(cache.glob(pattern), reverse=True):  # the newest build first
            if os.access(candidate, os.X_OK):
                return str(candidate)
    return None


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """``pdf_path`` printed from ``html_path``, written atomically; a GreenitError when it cannot be."""
    from greenit.reporting.output import write_bytes

    folder = str(html_path.parent)
    browser = find_chromium()
    if browser is None:
        raise GreenitError.of("council.pdf.no_browser", "council.pdf.no_browser_hint", folder=folder)
    with tempfile.TemporaryDirectory(prefix="greenit-pdf-") as tmp:
        printed = Path(tmp) / "report.pdf"
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={printed}",
            html_path.resolve().as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PRINT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise GreenitError.of("council.pdf.failed", detail=type(error).__name__, folder=folder) from None
        data = printed.read_bytes() if printed.is_file() else b""
    if not data.startswith(b"%PDF"):
        raise GreenitError.of("council.pdf.failed", detail=Path(browser).name, folder=folder)
    return write_bytes(pdf_path, data)
