"""The printed book, checked with Poppler: what a reader of the PDF would notice first.

Run after the HTML build: ``pytest tests/pdf`` (see conftest.py for how the PDF is made).
Each test reads the PDF through ``pdfinfo``, ``pdftotext`` or ``pdfimages``, and compares
it with the sources (``_toc.yml``, the chapters' titles, the catalog) or with the HTML site
it was printed from, never with numbers copied from an earlier print.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pytest

from scripts.book_toc import toc_entries

from .conftest import ROOT, _QUOTES as _QUOTES_TABLE, _run, flat

#: The print stylesheet's page box (_static/print.css: A4, 18 mm side margins).
MARGIN_PT = 18 / 25.4 * 72
#: Half a character of 8 pt monospace: glyph boxes may overhang the box by a hair.
TOLERANCE_PT = 2.0

#: Fewest characters of text a page of this book carries on average. A full A4 page of prose
#: at 10 pt holds about 4500; figures, code cells, part pages and chapters that open on a new
#: page bring the average down, but under 40 % of a full page (1800) paper goes to waste:
#: a forced page break in the wrong place (before every cell, say) or content gone blank.
MIN_CHARS_PER_PAGE = 1800


class _Article(HTMLParser):
    """The images, caption numbers and code text inside a page's <article>."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # > 0 inside <article class="bd-article">
        self.hidden = 0  # > 0 inside <details class="hide"> (code hidden on the site, not printed)
        self.images = 0
        self.numbers: list[str] = []
        self.code: list[str] = []
        self.blocks: list[str] = []  # the text of each <pre>: code cells and their outputs
        self._capture: list[list[str]] = []
        self._number = None
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "article" and "bd-article" in classes:
            self.depth = 1
            return
        if not self.depth or tag in ("img", "br", "hr", "meta", "link", "input", "source"):
            if self.depth and tag == "img" and not self.hidden:
                self.images += 1
            return
        self.depth += 1
        self._stack.append(tag)
        if tag == "details" and "hide" in classes:
            self.hidden += 1
        if tag in ("pre", "code"):
            self._capture.append([])
        if tag == "span" and ("caption-number" in classes or "eqno" in classes):
            self._number = []

    def handle_endtag(self, tag):
        if not self.depth or tag in ("img", "br", "hr", "meta", "link", "input", "source"):
            return
        if tag == "article" and self.depth == 1:
            self.depth = 0
            return
        self.depth -= 1
        if self._stack:
            self._stack.pop()
        if tag == "details" and self.hidden:
            self.hidden -= 1
        if tag in ("pre", "code") and self._capture:
            self.code.append("".join(self._capture.pop()))
            if tag == "pre" and not self.hidden:
                self.blocks.append(self.code[-1])
        if tag == "span" and self._number is not None:
            # The number, without the "#" of the permalink that follows it on the site.
            self.numbers.append(" ".join("".join(self._number).split()).rstrip("#").strip())
            self._number = None

    def handle_data(self, data):
        for buf in self._capture:
            buf.append(data)
        if self._number is not None:
            self._number.append(data)


@pytest.fixture(scope="session")
def site(printed):
    """What the HTML pages of the book hold, page by page."""
    pages = {}
    for page in printed.toc:
        parser = _Article()
        parser.feed((printed.html / (page.file + ".html")).read_text(encoding="utf-8"))
        pages[page.file] = parser
    return pages


@pytest.fixture(scope="session")
def code_text(site):
    """Every code block and inline code of the book, whitespace collapsed: text that may
    rightly hold a $ or a backslash."""
    return [" ".join(c.split()) for p in site.values() for c in p.code if c.strip()]


def _offending(lines, pattern, code_text):
    """The lines of the PDF's text where ``pattern`` matches outside code.

    A line that is a piece of a code block (wrapped code prints as several lines) is code;
    in a line of prose, the inline code it quotes is taken out before matching.
    """
    blob = "\n".join(code_text)
    for line in lines:
        flat = " ".join(line.split())
        if not flat or not pattern.search(flat) or flat in blob:
            continue
        for code in sorted(code_text, key=len, reverse=True):
            if pattern.search(code) and code in flat:
                flat = flat.replace(code, " ")
        if pattern.search(flat):
            yield " ".join(line.split())


# -- structure -----------------------------------------------------------------------------


def test_page_count_is_within_bounds(printed):
    parts = len(_toc_parts())
    # Title page, contents, a page per part, one or more per chapter, the index of losses.
    least = 2 + parts + len(printed.toc) + 1
    assert printed.pages >= least, f"{printed.pages} pages, fewer than the book's {least} openings"
    chars = len(printed.flat_text)
    assert chars / printed.pages >= MIN_CHARS_PER_PAGE, (
        f"{printed.pages} pages for {chars} characters: {chars / printed.pages:.0f} a page "
        f"(at least {MIN_CHARS_PER_PAGE} expected); look for blank pages"
    )
    assert printed.page_size == pytest.approx((595.0, 842.0), abs=1.5), "pages are not A4"




def _toc_parts():
    """The parts' captions, in order."""
    return list(dict.fromkeys(entry.part for entry in toc_entries() if entry.part))


def test_every_chapter_of_the_toc_opens_a_page_with_its_title(printed):
    # The contents list every title too: a chapter's own heading is the one atop a page.
    tops = [flat(page)[:200] for page in printed.text.split("\f")]
    missing = [p.title for p in printed.toc
               if not any(re.match(rf"(\d+\. )?{re.escape(p.title)}", top) for top in tops)]
    assert not missing, f"chapters whose title opens no page of the PDF: {missing}"
    missing = [c for c in _toc_parts() if c not in printed.flat_text]
    assert not missing, f"part titles missing from the PDF: {missing}"


def test_every_chapter_has_its_handout_and_the_site_links_them(printed):
    problems = []
    for page in printed.toc:
        pdf = printed.chapter_pdf(page.file)
        if not pdf.is_file():
            problems.append(f"{pdf.relative_to(printed.build_dir)} missing")
            continue
        text = flat(_run("pdftotext", "-enc", "UTF-8", pdf, "-"))
        if page.title not in text:
            problems.append(f"{pdf.name} does not hold its title {page.title!r}")
        # A chapter may name another in its first lines (a link); what must not come before its
        # own title is another chapter's heading.
        own = text.find(page.title)
        others = [p.title for p in printed.toc if p.title != page.title and len(p.title) > 12
                  and 0 <= text[:200].find(p.title + " ") < (own if own >= 0 else 200)]
        if others:
            problems.append(f"{pdf.name} opens with another chapter: {others}")
        copy = printed.html / "pdf" / (page.file + ".pdf")
        if not copy.is_file():
            problems.append(f"the site has no {copy.relative_to(printed.html)}")
        html = (printed.html / (page.file + ".html")).read_text(encoding="utf-8")
        if "_static/download_pdf.js" not in html:
            problems.append(f"{page.file}.html does not load the Download PDF script")
    if not (printed.html / "pdf" / "lossbook.pdf").is_file():
        problems.append("the site has no pdf/lossbook.pdf")
    assert not problems, "\n".join(problems)


def test_the_index_of_losses_lists_every_loss_of_the_catalog(printed):
    from lossbook.catalog import CATALOG

    start = printed.flat_text.rfind("Index of losses")
    assert start >= 0, "no index of losses"
    index = printed.flat_text[start:]
    # A long name wraps inside its cell ("... (log-" above "probabilities)"): read the
    # index in the order it was drawn, where a cell's lines follow each other, and compare
    # without whitespace.
    raw = _run("pdftotext", "-raw", "-enc", "UTF-8", printed.book, "-")
    drawn = re.sub(r"\s+", "", raw[raw.rfind("Index of losses"):].translate(_QUOTES_TABLE))
    missing = [s.title for s in CATALOG
               if re.sub(r"\s+", "", s.title) not in drawn]
    assert not missing, f"losses missing from the index: {missing}"
    # Each row gives the page of its chapter: a number, not an empty cell.
    rows = re.findall(r"lossbook\.\w+ ", index)
    assert len(rows) >= len(CATALOG)


# -- text ----------------------------------------------------------------------------------

RAW_MATH = re.compile(
    r"\$|\\\(|\\\)|\\\[|\\\]|\\(frac|hat|sum|log|mathrm|mathbb|operatorname|left|right|begin|end"
    r"|cdot|sqrt|exp|partial|nabla|sigma|theta|mid|label|eqref|ref)\b"
)


def test_no_raw_latex_or_dollar_maths_in_the_text(printed, code_text):
    leaks = list(_offending(printed.text.splitlines(), RAW_MATH, code_text))
    assert not leaks, "raw LaTeX in the PDF (maths not typeset?):\n" + "\n".join(leaks[:20])


def test_no_broken_reference_marks(printed, code_text):
    marks = list(_offending(printed.text.splitlines(), re.compile(r"\?\?"), code_text))
    assert not marks, ("'??' in the PDF (a reference Sphinx could not resolve):\n"
                       + "\n".join(marks[:20]))


def test_figure_and_equation_numbers_are_printed(printed, site):
    missing = [n for p in site.values() for n in p.numbers if n and n not in printed.flat_text]
    assert not missing, f"numbers of figures, exercises or equations missing: {missing[:20]}"


# -- figures -------------------------------------------------------------------------------


def test_every_figure_is_in_the_pdf(printed, site):
    rows = _run("pdfimages", "-list", printed.book).splitlines()[2:]
    images = sum(1 for row in rows if row.split()[2] == "image")
    expected = sum(p.images for p in site.values())
    assert expected > 0
    assert images == expected, f"{images} images in the PDF, {expected} in the site's pages"


def test_figures_are_at_print_resolution(printed):
    rows = _run("pdfimages", "-list", printed.book).splitlines()[2:]
    # Columns of pdfimages -list: page num type width height ... x-ppi (12) y-ppi (13) ...
    low = [row for row in rows
           if row.split()[2] == "image" and min(int(row.split()[12]), int(row.split()[13])) < 100]
    assert not low, "images below 100 ppi on the page:\n" + "\n".join(low)


# -- layout --------------------------------------------------------------------------------

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def test_no_text_runs_past_the_margins(printed):
    """Every word's box, code lines included, lies within the page's text width."""
    out = subprocess.run(["pdftotext", "-bbox", str(printed.book), "-"],
                         capture_output=True, text=True, check=True).stdout
    width, _ = printed.page_size
    left, right = MARGIN_PT - TOLERANCE_PT, width - MARGIN_PT + TOLERANCE_PT
    over = []
    for page_no, page in enumerate(out.split("<page ")[1:], start=1):
        for x0, _, x1, _, word in WORD.findall(page):
            if float(x1) > right or float(x0) < left:
                span = f"{float(x0):.0f}..{float(x1):.0f}"
                over.append(f"page {page_no}: {word!r} spans x = {span} pt")
    assert not over, (
        f"text outside the margins ({left:.0f}..{right:.0f} pt), e.g. code not wrapped:\n"
        + "\n".join(over[:20])
    )


def test_code_cells_and_outputs_are_printed_in_full(printed, site):
    """Every code block of the site is in the PDF, to its last character: nothing is cut off
    at the margin (clipped text is not in the PDF at all, so the margin test cannot see it)."""
    nospace = re.compile(r"\s+")
    # -raw: the text in the order it was drawn (the page's order), not re-sorted into
    # columns, which would interleave aligned columns of an output with each other.
    raw = _run("pdftotext", "-raw", "-enc", "UTF-8", printed.book, "-").split("\f")
    # A block split by a page break has that page's number in between: take it out.
    pages = []
    for number, page in enumerate(raw, start=1):
        lines = page.splitlines()
        for i in range(len(lines) - 1, -1, -1):
            if lines[i].strip() == str(number):
                del lines[i]
                break
        pages.append("\n".join(lines))
    text = nospace.sub("", "".join(pages).translate(_QUOTES_TABLE))
    missing = []
    for file, page in site.items():
        for block in page.blocks:
            lost = _first_line_not_printed(block, text, nospace)
            if lost is not None:
                missing.append(f"{file}: {block.strip()[:60]!r} ... line {lost!r}")
    assert not missing, (f"{len(missing)} code blocks not printed in full:\n"
                         + "\n".join(missing[:15]))


def _first_line_not_printed(block, text, nospace):
    """The first line of ``block`` that is not in ``text``, in order, or None.

    A block that a page break splits is drawn in two parts, and the text that follows it
    on the first page may be drawn before the second part: so the block's lines are looked
    for one after the other, each after the one before, rather than as one string. A line cut
    off at the margin or a page end is not in the PDF at all and is reported.
    """
    at = 0
    for line in block.splitlines():
        squeezed = nospace.sub("", line.translate(_QUOTES_TABLE))
        if not squeezed:
            continue
        found = text.find(squeezed, at)
        if found < 0:
            return line.strip()
        at = found + len(squeezed)
    return None
