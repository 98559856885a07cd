"""The built site and the browser the site tests use: paths, sizes, Chromium's flags.

These tests read ``_build/html``; run them after the book build (``make test`` does:
``make book`` first, then ``pytest tests/browser``). Chromium is Debian's package
(``/usr/bin/chromium``); Playwright drives it, so no browser is downloaded. Every request to
a host other than the local server is aborted and recorded, so a page that needs the network
fails its test.
"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def toc_pages():
    """The html path of every page in _toc.yml, root first."""
    toc = (ROOT / "_toc.yml").read_text()
    root = re.search(r"^root: (\S+)", toc, re.M).group(1)
    files = [root] + re.findall(r"file: (\S+)", toc)
    return [f + ".html" for f in files]
