#!/usr/bin/env python3
"""Screenshot pages of a built site at desktop and at phone width, to read them as a person would.

For each page this writes ``<out>/<page>-desktop.png`` (1280 px wide) and
``<out>/<page>-phone.png`` (390 px), whole pages, after MathJax has typeset the maths. It
opens the files from disk (the site is self-contained) in Debian's Chromium with the flags of
``scripts/chromium.py``. Use it after a build, on the pages you changed:

    .venv/bin/python scripts/screenshot.py _build/html chapters/regression/mse.html

Usage: ``python scripts/screenshot.py SITE PAGE.html [PAGE.html ...] [--out DIR]``
(default ``DIR``: ``_build/screenshots``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--out", type=Path, default=Path("_build/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page_path in args.pages:
            url = (args.site / page_path).resolve().as_uri()
            stem = page_path.removesuffix(".html").replace("/", "-")
            for name, viewport in SIZES.items():
                page = browser.new_page(viewport=viewport)
                page.goto(url, wait_until="load")
                # MathJax typesets after the load event; its startup promise resolves then.
                page.evaluate("() => window.MathJax && MathJax.startup"
                              " ? MathJax.startup.promise : null")
                page.wait_for_timeout(300)
                target = args.out / f"{stem}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
