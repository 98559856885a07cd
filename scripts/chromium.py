"""How the book's tools start Debian's Chromium (``/usr/bin/chromium``) through Playwright.

The PDF print and the site's browser tests use the same browser and the same flags. As root
Chromium needs ``--no-sandbox``; the background-networking flags keep it from calling home,
which a machine without a network refuses, many times over.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
