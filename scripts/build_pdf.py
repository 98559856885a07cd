#!/usr/bin/env python3
"""Print the book to PDF: ``lossbook.pdf`` (the whole course) and one handout per chapter.

How: the pages of the built HTML site are assembled into one document (title page, table
of contents, part pages, the chapters in ``_toc.yml`` order, an appendix with the solutions
of the exercises, an index of losses rendered from ``lossbook.catalog.CATALOG``), which
headless Chromium prints with the site's print stylesheet (``_static/print.css``).
MathJax typesets the maths in the page before it is printed, so equations are text and
vector outlines in the PDF, not pictures.

Why the HTML pages and not ``jupyter-book build --builder singlehtml``: the single-page
builder cannot write myst-nb's hidden code cells (``hide-input``; Sphinx finds no
``singlehtml`` visitor for them once sphinx-exercise registers ``singlehtml`` handlers),
and reusing the site's build costs no second Sphinx run: after ``make book`` the PDF is
only a print away, and it shows exactly what the site shows.

Cross-references between pages become links inside the PDF; a link or reference whose
target is not in the book fails the build, and so does any request the page makes to a
host other than the book's own files (the site must be self-contained).

Output (``--build-dir`` defaults to ``_build``)::

    <build-dir>/pdf/lossbook.pdf                      the whole book
    <build-dir>/pdf/chapters/<part>/<page>.pdf        one handout per page of _toc.yml
    <build-dir>/html/pdf/...                          a copy, for the site's "Download PDF" links

Usage::

    .venv/bin/python scripts/build_pdf.py [--build-dir _build] [--build-html] [--no-chapters]

``--build-html`` runs ``jupyter-book build . --builder html -W -n --keep-going`` into the
build folder first; without it the HTML site must exist already (``make book``).
"""

from __future__ import annotations

import argparse
import datetime
import html
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from book_toc import toc_entries  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

#: The origin the assembled book is served from, inside Playwright only (never on a network).
ORIGIN = "http://lossbook.print"
BOOK_PATH = "/__lossbook_print__.html"


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class BuildError(RuntimeError):
    """The PDF cannot be built correctly; the message says why."""


# --------------------------------------------------------------------------------------
# The book's structure, from _toc.yml
# --------------------------------------------------------------------------------------


@dataclass
class Page:
    file: str  # "chapters/regression/mse"
    part: str | None  # the part's caption, None for the root page
    numbered: bool
    pid: str = ""  # id prefix in the assembled document
    title: str = ""  # the page's h1, with its number ("2. Mean squared error")
    soup: Tag | None = None
    solutions: list = field(default_factory=list)

    def __post_init__(self):
        self.pid = "p-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.file)


def toc_pages(toc_path: Path) -> list[Page]:
    """The pages of ``_toc.yml`` in reading order (root first, nested sections flattened)."""
    return [Page(e.file, e.part, e.numbered) for e in toc_entries(toc_path)]


# --------------------------------------------------------------------------------------
# Assembling one document from the site's pages
# --------------------------------------------------------------------------------------

URL_ATTRS = {"img": ("src",), "source": ("src",), "video": ("src", "poster"), "object": ("data",)}


class Assembler:
    def __init__(self, html_dir: Path, pages: list[Page]):
        self.html_dir = html_dir
        self.pages = pages
        self.by_html = {p.file + ".html": p for p in pages}
        self.ids: dict[str, set[str]] = {}
        self.problems: list[str] = []

    # -- per page ----------------------------------------------------------------------

    def load(self) -> BeautifulSoup:
        first = None
        for page in self.pages:
            path = self.html_dir / (page.file + ".html")
            if not path.is_file():
                raise BuildError(f"{path} is missing: build the site first (make book)")
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            if first is None:
                first = soup
            article = soup.select_one("article.bd-article")
            if article is None:
                raise BuildError(f"{path}: no <article class='bd-article'>")
            page.soup = article
            self.ids[page.file] = {t["id"] for t in article.find_all(id=True)}
            h1 = article.find("h1")
            if h1 is None:
                raise BuildError(f"{path}: no h1")
            page.title = _text(h1)
        return first

    def rewrite(self, page: Page) -> None:
        base = f"{ORIGIN}/{page.file}.html"
        art = page.soup
        for tag in art.find_all(id=True):
            tag["id"] = f"{page.pid}--{tag['id']}"
        first_section = art.find("section")
        art.name = "section"
        art["class"] = ["lb-chapter", "bd-article"]
        art["id"] = page.pid
        art["data-file"] = page.file
        if first_section is None:
            self.problems.append(f"{page.file}: no section")
        for name, attrs in URL_ATTRS.items():
            for tag in art.find_all(name):
                for attr in attrs:
                    if tag.get(attr):
                        tag[attr] = urljoin(base, tag[attr])
        for tag in art.find_all(srcset=True):
            tag["srcset"] = ", ".join(
                " ".join([urljoin(base, part.split()[0])] + part.split()[1:])
                for part in tag["srcset"].split(",")
            )
        for a in art.find_all("a", href=True):
            self._link(page, a, base)
        # Dropdowns and toggles are open on paper: sphinx-togglebutton must not close them.
        for tag in art.select(".dropdown, .toggle"):
            tag["class"] = [c for c in tag["class"] if c not in ("dropdown", "toggle")]
        for det in art.find_all("details"):
            det["open"] = ""

    def _link(self, page: Page, a: Tag, base: str) -> None:
        href = a["href"]
        if href.startswith(("mailto:", "javascript:")):
            return
        url = urlsplit(urljoin(base, href))
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            return  # an external link stays as it is
        path = unquote(url.path).lstrip("/")
        target = self.by_html.get(path)
        if target is None:
            # A page of the site that is not in the book (source file, general index,
            # an image): the text stays, the link goes.
            if "headerlink" not in a.get("class", []):
                a.unwrap()
            return
        frag = unquote(url.fragment)
        if frag and frag not in self.ids[target.file]:
            self.problems.append(f"{page.file}: link {href!r} points to no anchor of {path}")
            return
        a["href"] = f"#{target.pid}--{frag}" if frag else f"#{target.pid}"

    # -- the solutions appendix ----------------------------------------------------------

    def move_solutions(self, page: Page) -> None:
        """Move each solution to the appendix; its exercise points to it."""
        exercise = None
        for node in page.soup.select("div.exercise, div.solution"):
            classes = node.get("class", [])
            if "exercise" in classes:
                exercise = node
                continue
            if exercise is None:
                self.problems.append(f"{page.file}: a solution before any exercise")
                continue
            number = _text(exercise.select_one(".admonition-title .caption-number") or exercise)
            number = number.strip() or "Exercise"
            sol_id = node["id"]
            title = node.select_one(".admonition-title")
            if title is not None:
                title.clear()
                back = page.soup.new_tag("a", href=f"#{exercise['id']}")
                back.string = f"Solution to {number}"
                title.append(back)
                title["class"] = title.get("class", []) + ["lb-solution-title"]
            node["class"] = [c for c in classes if c not in ("dropdown",)] + ["lb-solution"]
            ref = page.soup.new_tag("p", attrs={"class": "lb-solution-ref"})
            link = page.soup.new_tag("a", href=f"#{sol_id}")
            link.string = "Solution in the appendix"
            ref.append(link)
            pointer = {"class": "lb-page-of", "data-target": sol_id}
            ref.append(page.soup.new_tag("span", attrs=pointer))
            exercise.append(ref)
            page.solutions.append(node.extract())


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).replace("#", " ").split())


# --------------------------------------------------------------------------------------
# The book's own pages: title page, contents, parts, appendix, index of losses
# --------------------------------------------------------------------------------------


def book_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def title_page(config: dict) -> str:
    title = config.get("title", "lossbook")
    main, _, sub = title.partition(":")
    commit = _git("rev-parse", "--short", "HEAD")
    date = datetime.date.today().isoformat()
    meta = f"{html.escape(config.get('author', ''))}<br>Printed {date}"
    if commit:
        meta += f" from commit {html.escape(commit)}"
    meta += "<br>The course online, its notebooks and this PDF come from the same sources."
    return (
        '<section class="lb-titlepage" id="lb-title">'
        f'<p class="lb-title">{html.escape(main.strip())}</p>'
        f'<p class="lb-subtitle">{html.escape(sub.strip())}</p>'
        f'<p class="lb-meta">{meta}</p>'
        "</section>"
    )


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out.stdout.strip()


def parts_of(pages: list[Page]) -> dict[str, str]:
    """Part caption -> its label ("Part I"), numbered in reading order."""
    labels: dict[str, str] = {}
    for page in pages:
        if page.part and page.part not in labels:
            labels[page.part] = f"Part {ROMAN[len(labels)]}"
    return labels


def part_id(label: str) -> str:
    return "lb-part-" + label.split()[-1].lower()


def contents(pages: list[Page], labels: dict[str, str], has_solutions: bool) -> str:
    def row(cls: str, href: str, title: str) -> str:
        return (
            f'<li class="{cls}"><a class="lb-toc-title" href="#{href}">{html.escape(title)}</a>'
            f'<span class="lb-toc-dots"></span>'
            f'<span class="lb-toc-page lb-page-of" data-target="{href}"></span></li>'
        )

    out = ['<nav class="lb-toc" id="lb-toc"><h1>Contents</h1><ul>']
    part = None
    for page in pages:
        if page.part != part and page.part is not None:
            part = page.part
            if part == pages[-1].part and has_solutions:
                out.append(row("lb-toc-front", "lb-solutions",
                               "Appendix: Solutions to the exercises"))
            out.append(f'<li class="lb-toc-part">{labels[part]}. {html.escape(part)}</li>')
        cls = "lb-toc-chapter" if page.part else "lb-toc-front"
        out.append(row(cls, page.pid, page.title))
    out.append(row("lb-toc-front", "lb-index", "Index of losses"))
    out.append("</ul></nav>")
    return "".join(out)


def part_page(label: str, caption: str) -> str:
    return (
        f'<section class="lb-part" id="{part_id(label)}">'
        f'<p class="lb-part-label">{label}</p><h1>{html.escape(caption)}</h1></section>'
    )


def solutions_appendix(pages: list[Page]) -> str:
    blocks = []
    for page in pages:
        if not page.solutions:
            continue
        inner = "".join(str(s) for s in page.solutions)
        blocks.append(
            f'<section class="lb-solutions-chapter" data-file="{page.file}" id="lb-sol-{page.pid}">'
            f'<h2><a href="#{page.pid}">{html.escape(page.title)}</a></h2>{inner}</section>'
        )
    if not blocks:
        return ""
    return (
        '<section class="lb-appendix lb-solutions bd-article" id="lb-solutions">'
        "<h1>Appendix: Solutions to the exercises</h1>"
        "<p>On the website the solutions sit under each exercise, folded; here they are "
        "collected by chapter. Each title links back to its exercise.</p>"
        + "".join(blocks)
        + "</section>"
    )


def loss_index(pages: list[Page]) -> str:
    """The index of losses, from the catalog: one row per loss, sorted by name."""
    sys.path.insert(0, str(ROOT))
    from lossbook.catalog import CATALOG

    by_file = {p.file: p for p in pages}
    rows = []
    for spec in sorted(CATALOG, key=lambda s: s.title.lower()):
        page = by_file.get(spec.chapter)
        if page is None:
            raise BuildError(
                f"catalog entry {spec.name!r}: chapter {spec.chapter!r} is not in _toc.yml")
        tasks = ", ".join((spec.task, *spec.also_tasks))
        rows.append(
            "<tr>"
            f"<td>{html.escape(spec.title)}</td>"
            f"<td><code>lossbook.{html.escape(spec.loss.__name__)}</code></td>"
            f"<td>{html.escape(tasks)}</td>"
            f'<td><a href="#{page.pid}">{html.escape(page.title)}</a></td>'
            f'<td class="lb-page"><span class="lb-page-of" data-target="{page.pid}"></span></td>'
            "</tr>"
        )
    return (
        '<section class="lb-appendix lb-index bd-article" id="lb-index">'
        "<h1>Index of losses</h1>"
        "<p>Every loss of the <code>lossbook</code> package, from its catalog "
        "(<code>lossbook.catalog.CATALOG</code>), with the chapter that treats it.</p>"
        '<table class="table"><thead><tr><th>Loss</th><th>Function</th><th>Task</th>'
        "<th>Chapter</th><th>Page</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def assemble(html_dir: Path, pages: list[Page]) -> tuple[str, list[str]]:
    """The whole book as one HTML document, and the list of problems found."""
    asm = Assembler(html_dir, pages)
    first = asm.load()
    for page in pages:
        asm.rewrite(page)
        asm.move_solutions(page)
    labels = parts_of(pages)
    config = book_config()

    head = first.head
    base = f"{ORIGIN}/{pages[0].file}.html"
    # The stylesheets stay; of the scripts only MathJax (and its configuration) stays: the
    # theme's scripts drive navigation, search and buttons, which paper does not have.
    for tag in head.find_all(["link", "script"]):
        if tag.name == "link":
            if tag.get("rel") != ["stylesheet"]:
                tag.decompose()
            elif tag.get("href"):
                tag["href"] = urljoin(base, tag["href"])
        elif "mathjax" in tag.get("src", "").lower() or "window.MathJax" in (tag.string or ""):
            if tag.get("src"):
                tag["src"] = urljoin(base, tag["src"])
        else:
            tag.decompose()
    for script in head.find_all("script"):
        if script.string and "window.MathJax" in script.string:
            # No hidden copy of each formula for screen readers: on paper it is invisible
            # text that pdftotext would read twice.
            script.string = script.string + (
                "\nwindow.MathJax.options = Object.assign(window.MathJax.options || {},"
                " {enableAssistiveMml: false, enableMenu: false});"
            )
    if head.title:
        head.title.string = config.get("title", "lossbook")

    body = [title_page(config), contents(pages, labels, any(p.solutions for p in pages))]
    part = None
    for page in pages:
        if page.part != part and page.part is not None:
            part = page.part
            if part == pages[-1].part:
                body.append(solutions_appendix(pages))
            body.append(part_page(labels[part], part))
        body.append(str(page.soup))
    body.append(loss_index(pages))

    doc = (
        "<!DOCTYPE html>\n"
        f'<html lang="en" data-content_root="./" data-mode="light" data-theme="light">'
        f"{head}"
        '<body class="lb-print" data-bs-spy="none">'
        '<div class="bd-container"><div class="bd-main"><div class="bd-content">'
        '<div class="bd-article-container"><div class="lb-book">'
        + "".join(body)
        + "</div></div></div></div></div></body></html>"
    )
    # Every in-document link must land somewhere.
    ids = set(re.findall(r'\sid="([^"]+)"', doc))
    for href in set(re.findall(r'\shref="#([^"]*)"', doc)):
        if href and html.unescape(href) not in ids and href not in ids:
            asm.problems.append(f"link to #{href}: no such anchor in the book")
    for target in set(re.findall(r'data-target="([^"]+)"', doc)):
        if target not in ids:
            asm.problems.append(f"page reference to {target}: no such anchor in the book")
    return doc, asm.problems


# --------------------------------------------------------------------------------------
# Printing with headless Chromium
# --------------------------------------------------------------------------------------


def serve(page, html_dir: Path, doc: str, blocked: list[str]) -> None:
    """Serve the site's files and the assembled book to the page; abort everything else."""

    def handle(route):
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            blocked.append(route.request.url)
            return route.abort()
        if url.path == BOOK_PATH:
            return route.fulfill(status=200, content_type="text/html; charset=utf-8", body=doc)
        path = (html_dir / unquote(url.path).lstrip("/")).resolve()
        if html_dir.resolve() not in path.parents or not path.is_file():
            return route.fulfill(status=404, body="not found")
        return route.fulfill(status=200, path=str(path))

    page.route("**/*", handle)


#: Writes the page numbers into the contents, the index and the pointers to solutions.
#: ``null`` writes the placeholder 888 everywhere (the draft pass), and every number is padded
#: to three digits with figure spaces (as wide as a digit), so that the numbers take the same
#: room in every pass and writing them moves no line.
PAGE_NUMBERS_JS = """
(pages) => {
  for (const el of document.querySelectorAll('.lb-page-of')) {
    const n = pages === null ? 888 : pages[el.dataset.target];
    const shown = n ? String(n).padStart(3, '\u2007') : '';
    el.textContent = n && el.closest('.lb-solution-ref') ? ', page ' + shown : shown;
  }
}
"""


def wait_until_typeset(page) -> None:
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_function(
        "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )
    left = page.evaluate(
        "() => document.querySelectorAll('.math:not(:has(mjx-container))').length"
    )
    if left:
        raise BuildError(f"{left} formulas were not typeset by MathJax")


def print_pdf(page, out: Path, tagged: bool = True) -> None:
    """Print the page to ``out``.

    A tagged PDF carries the document's structure (for screen readers and for the outline,
    the bookmarks a PDF viewer shows, which Chromium builds from the tags); it is also three
    times larger (18 MB against 5 MB for the whole book). The book gets it; the handouts,
    a few pages meant for printing, do not.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(out), prefer_css_page_size=True, print_background=True,
             outline=tagged, tagged=tagged)


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True)
    return [" ".join(p.split()) for p in out.stdout.split("\f")]


def locate(page, pdf: Path) -> dict[str, int]:
    """Page number of each start of a chapter, part, appendix and solution, from a printed PDF.

    Each of them starts on a new page (print.css) except solutions, which are searched for
    by their title in reading order.
    """
    starts = page.evaluate(
        """() => Array.from(document.querySelectorAll(
             '.lb-book > .lb-chapter, .lb-book > .lb-part, .lb-book > .lb-appendix,'
             + ' .lb-toc, .lb-solution'))
           .map(el => {
             const h = el.classList.contains('lb-solution')
               ? el.querySelector('.admonition-title') : el.querySelector('h1');
             return [el.id, (h ? h.innerText : '').replace(/\\s+/g, ' ').trim(),
                     !el.classList.contains('lb-solution')];
           })"""
    )
    texts = page_texts(pdf)
    found: dict[str, int] = {}
    at = 0
    for el_id, heading, new_page in starts:
        if not heading:
            continue
        # What starts a page starts one after the page of the previous find.
        first = at + 1 if (new_page and found) else at
        for i in range(first, len(texts)):
            # A chapter's title opens its page (the contents list it too, further down).
            head = texts[i][: len(heading) + 20] if new_page else texts[i]
            if heading in head:
                found[el_id] = i + 1
                at = i
                break
        else:
            raise BuildError(f"could not find {heading!r} in the printed PDF")
    return found


#: The most prints of the book before its page numbers must have settled.
MAX_PASSES = 5


def build(build_dir: Path, chapters: bool = True, log=print) -> dict:
    """Print the book and the handouts from ``<build_dir>/html``; return timings and paths."""
    from playwright.sync_api import sync_playwright

    html_dir = build_dir / "html"
    out_dir = build_dir / "pdf"
    pages = toc_pages(ROOT / "_toc.yml")
    t0 = time.perf_counter()
    doc, problems = assemble(html_dir, pages)
    if problems:
        raise BuildError("the book has broken references:\n  " + "\n  ".join(problems))
    if "print.css" not in doc:
        raise BuildError("the site does not load _static/print.css: rebuild it (make book)")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / "book.html").write_text(doc, encoding="utf-8")  # for inspection only
    book_pdf = out_dir / "lossbook.pdf"
    blocked: list[str] = []
    errors: list[str] = []
    timings = {"assemble": time.perf_counter() - t0}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=True)
            page = context.new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            serve(page, html_dir, doc, blocked)
            t = time.perf_counter()
            # The whole book is one page of several MB: on a loaded machine its load takes
            # longer than Playwright's default 30 s.
            page.goto(ORIGIN + BOOK_PATH, wait_until="load", timeout=300_000)
            # No emulate_media("print"): with print media emulated, Chromium laid the book out
            # one of two ways on alternate prints (same document, same numbers: 478 and 477
            # pages, a heading and its box pushed to the next page or not), so the numbers
            # settled only on the fourth print. Without it every print of the same document is
            # laid out the same, word for word, and MathJax's output is the same.
            wait_until_typeset(page)
            timings["typeset"] = time.perf_counter() - t

            # Passes: the draft finds the pages, the next prints them in the contents, the
            # index and the exercises' pointers to their solutions (in boxes of fixed width,
            # print.css, so that writing them moves no line); it is the book when its pages
            # are the pages printed in it. The draft is untagged and paints its headings
            # alone (print.css, .lb-draft: the same layout, page for page, in 56 s against
            # 92 s untagged and complete): only their text is read.
            t = time.perf_counter()
            with tempfile.TemporaryDirectory() as tmp:
                draft = Path(tmp) / "draft.pdf"
                page.evaluate(PAGE_NUMBERS_JS, None)
                page.evaluate("() => document.documentElement.classList.add('lb-draft')")
                print_pdf(page, draft, tagged=False)
                page.evaluate("() => document.documentElement.classList.remove('lb-draft')")
                numbers = locate(page, draft)
            for n in range(2, MAX_PASSES + 1):
                page.evaluate(PAGE_NUMBERS_JS, numbers)
                print_pdf(page, book_pdf)
                found = locate(page, book_pdf)
                if found == numbers:
                    break
                moved = sorted(k for k in numbers if found.get(k) != numbers[k])
                log(f"build_pdf: pages moved in pass {n} ({len(moved)} marks, first "
                    f"{moved[:3]}); printing again")
                numbers = found
            else:
                raise BuildError(f"page numbers still moved after {MAX_PASSES} passes")
            log(f"build_pdf: page numbers settled on print {n} (draft included)")
            timings["book"] = time.perf_counter() - t
            log(f"{book_pdf}: {book_pdf.stat().st_size / 1e6:.1f} MB, {timings}")

            if chapters:
                t = time.perf_counter()
                # Print media emulated for the handouts only: without it every handout print
                # lays out the whole book again (4.5 min against 26 s for 27 handouts). Each
                # handout is printed once, so the alternating layouts do not matter here.
                page.emulate_media(media="print")
                page.evaluate(PAGE_NUMBERS_JS, {})
                page.evaluate("() => document.documentElement.classList.add('lb-handout')")
                for pg in pages:
                    page.evaluate(
                        """([pid, solId]) => {
                             for (const el of document.querySelectorAll('.lb-current'))
                               el.classList.remove('lb-current');
                             document.getElementById(pid).classList.add('lb-current');
                             const sol = document.getElementById(solId);
                             if (sol) {
                               sol.classList.add('lb-current');
                               document.getElementById('lb-solutions').classList.add('lb-current');
                             }
                           }""",
                        [pg.pid, f"lb-sol-{pg.pid}"],
                    )
                    print_pdf(page, out_dir / (pg.file + ".pdf"), tagged=False)
                timings["chapters"] = time.perf_counter() - t
        finally:
            browser.close()

    if blocked:
        raise BuildError("the book requested files from other hosts:\n  "
                         + "\n  ".join(sorted(set(blocked))))
    if errors:
        raise BuildError("JavaScript errors while printing:\n  " + "\n  ".join(errors))

    site_copy = html_dir / "pdf"
    if site_copy.exists():
        shutil.rmtree(site_copy)
    shutil.copytree(out_dir, site_copy, ignore=shutil.ignore_patterns("book.html"))
    timings["total"] = time.perf_counter() - t0
    handouts = [out_dir / (p.file + ".pdf") for p in pages]
    return {"book": book_pdf, "chapters": handouts, "timings": timings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "_build",
                        help="Jupyter Book's build folder, holding html/ (default: _build)")
    parser.add_argument("--build-html", action="store_true",
                        help="build the HTML site into the build folder first (-W -n)")
    parser.add_argument("--no-chapters", action="store_true", help="print only lossbook.pdf")
    args = parser.parse_args(argv)
    build_dir = args.build_dir.resolve()
    if build_dir.name != "_build":
        parser.error("--build-dir must be a folder named _build (Jupyter Book's layout)")
    if args.build_html:
        t = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
             "--builder", "html", "-W", "-n", "--keep-going",
             "--path-output", str(build_dir.parent)],
            check=True,
        )
        print(f"html build: {time.perf_counter() - t:.1f} s")
    try:
        result = build(build_dir, chapters=not args.no_chapters)
    except BuildError as exc:
        print(f"build_pdf: {exc}", file=sys.stderr)
        return 1
    times = ", ".join(f"{k} {v:.1f} s" for k, v in result["timings"].items())
    print(f"PDF build: {times}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
