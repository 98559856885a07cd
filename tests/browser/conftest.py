"""Fixtures for the browser tests: the built site, served on localhost, in headless Chromium.

Every request to a host other than the local server is aborted and recorded, so a page that
needs the network fails its test.
"""

import functools
import http.server
import threading

import pytest

from .site import CHROMIUM, CHROMIUM_ARGS, DESKTOP, SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site in {SITE}: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """A page opened in a fresh context, with everything that went wrong while loading."""

    def __init__(self, browser, site_url, viewport):
        self.site_url = site_url
        self.context = browser.new_context(viewport=viewport)
        self.problems = []
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", lambda req: self.problems.append(
            f"request failed: {req.url} ({req.failure})"))
        self.page.on("response", self._response)

    def _only_local(self, route):
        if route.request.url.startswith(self.site_url):
            route.continue_()
        else:
            self.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, path):
        self.page.goto(f"{self.site_url}/{path}", wait_until="load")
        # MathJax (on pages with maths) typesets after load; wait for it, and for fonts.
        if self.page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')"):
            self.page.wait_for_function("() => window.MathJax && MathJax.startup"
                                        " && MathJax.startup.promise", timeout=15000)
            self.page.evaluate("() => MathJax.startup.promise")
        self.page.evaluate("() => document.fonts.ready.then(() => true)")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def _visit(path, viewport=DESKTOP):
        v = PageVisit(browser, site_url, viewport)
        visits.append(v)
        v.open(path)
        return v

    yield _visit
    for v in visits:
        v.close()
