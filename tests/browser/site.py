"""The built site and the browser the site tests use: paths, sizes, Chromium's flags.

These tests read ``_build/html``; run them after the book build (``make test`` does:
``make book`` first, then ``pytest tests/browser``). Chromium is Debian's package
(``/usr/bin/chromium``); Playwright drives it, so no browser is downloaded. Every request to
a host other than the local server is aborted and recorded, so a page that needs the network
fails its test.
"""

import pathlib

from scripts.book_toc import toc_entries
from scripts.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 (used by the fixtures)

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def toc_pages():
    """The html path of every page in _toc.yml, root first."""
    return [entry.file + ".html" for entry in toc_entries()]


#: Pages the build writes that are not reader pages: theme templates under _static, and the
#: root index.html, which only redirects to the first chapter.
NOT_PAGES = ("_static/", "index.html")


def built_pages():
    """Every HTML page the build wrote, the generated ones (index, search, ...) included."""
    if not SITE.is_dir():
        return []
    found = (str(p.relative_to(SITE)) for p in SITE.rglob("*.html"))
    return sorted(p for p in found if not p.startswith(NOT_PAGES))
