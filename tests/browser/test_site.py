"""The built site as a reader gets it: every page the build writes, in Chromium.

Each page must load with no console error, no failed request and no request to another
host; its maths must be typeset (no raw TeX left in the text); its images must load and
carry alt text; it must fit a phone's width. Every internal link must lead to a page and an
anchor that exist. Search must work offline. Screenshots of a few pages are saved under
``_build/screenshots`` for a person to look at.
"""

import html.parser
import posixpath
import urllib.parse

import pytest

from .site import DESKTOP, PHONE, SCREENSHOTS, SITE, built_pages, toc_pages

# The chapters of the table of contents and the pages Sphinx and its extensions generate
# (the general index, search, sphinx-proof's index of theorems, ...).
PAGES = built_pages()
SCREENSHOT_PAGES = ("chapters/intro.html", "chapters/regression/huber.html",
                    "chapters/theory/maximum_likelihood.html",
                    "chapters/reference/summary.html")

# Text nodes outside code, scripts and MathJax output that still hold TeX delimiters.
RAW_TEX = """() => {
  const skip = new Set(["SCRIPT", "STYLE", "PRE", "CODE", "TEXTAREA", "MJX-CONTAINER"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (skip.has(el.tagName) || el.classList.contains("highlight")) {
          return NodeFilter.FILTER_REJECT;
        }
      }
      return NodeFilter.FILTER_ACCEPT;
    }});
  const found = [];
  const pattern = /\\\\\\(|\\\\\\[|\\$\\$|\\$[^$\\s][^$]*\\$|\\\\(frac|sum|log|mathrm|hat)\\b/;
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent;
    if (pattern.test(text)) found.push(text.trim().slice(0, 80));
  }
  return found;
}"""

BROKEN_IMAGES = """() => Array.from(document.images)
  .filter(img => !img.complete || img.naturalWidth === 0 || !img.alt.trim())
  .map(img => img.src + (img.alt.trim() ? "" : " (no alt text)"))"""


def _screenshot(page, path, size):
    if path in SCREENSHOT_PAGES:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = path.replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"))


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_and_fits_a_phone(visit, path):
    v = visit(path)
    page = v.page
    has_math = 'class="math' in (SITE / path).read_text()
    if has_math:
        assert page.locator("mjx-container").count() > 0, f"{path}: maths not typeset"
    assert page.evaluate(RAW_TEX) == [], f"{path}: raw TeX in the text"
    assert page.evaluate(BROKEN_IMAGES) == [], f"{path}: images"
    _screenshot(page, path, "desktop")
    # The same page on a phone: the layout reflows, nothing may stick out sideways.
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path}: {width} px wide on a {PHONE['width']} px screen"
    _screenshot(page, path, "phone")
    assert v.problems == [], f"{path}: " + "\n".join(v.problems)


def test_search_finds_huber_on_the_huber_page(visit):
    v = visit("search.html?q=Huber")
    page = v.page
    page.wait_for_selector("#search-results li", timeout=15000)
    hrefs = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    assert any("chapters/regression/huber.html" in h for h in hrefs), hrefs
    assert v.problems == [], "\n".join(v.problems)


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(path):
    parser = _Links()
    parser.feed((SITE / path).read_text())
    return parser


def test_every_internal_link_leads_to_a_page_and_anchor_that_exist():
    parsed, broken = {}, []
    for path in PAGES:
        for href in _parse(path).hrefs:
            url = urllib.parse.urlsplit(href)
            if url.scheme or href.startswith(("//", "mailto:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), url.path)) \
                if url.path else path
            if (SITE / target).is_dir():
                target = posixpath.join(target, "index.html")
            if not (SITE / target).is_file():
                broken.append(f"{path}: {href} (no file {target})")
                continue
            if url.fragment and target.endswith(".html"):
                if target not in parsed:
                    parsed[target] = _parse(target).ids
                ids = parsed[target]
                if urllib.parse.unquote(url.fragment) not in ids:
                    broken.append(f"{path}: {href} (no anchor in {target})")
    assert broken == [], "\n".join(broken)


def test_every_page_of_the_table_of_contents_is_checked():
    assert set(toc_pages()) <= set(PAGES), sorted(set(toc_pages()) - set(PAGES))
    assert {"genindex.html", "search.html"} <= set(PAGES)


def test_the_site_is_checked_at_two_sizes():
    # The sizes are a desktop and a phone; a change that made them equal would hide the
    # phone check.
    assert PHONE["width"] < 480 < DESKTOP["width"]
