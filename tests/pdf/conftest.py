"""Fixtures for the PDF tests: the printed book, fresh from the current HTML build.

These tests run after the HTML build (``make book``), by their own make target; the unit run
leaves them out (``--ignore=tests/pdf``).

``LOSSBOOK_BUILD_DIR`` names the build folder (default ``_build``). The HTML build must be
newer than every source of the book, or the tests fail: a PDF printed from a stale site would
check the wrong book. The PDF is then (re)printed by ``scripts/build_pdf.py`` unless it is
already newer than the HTML build and than everything that shapes the print (the script, the
print stylesheet, ``_toc.yml``, the catalog); ``LOSSBOOK_PDF_REBUILD=1`` forces a print.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

from scripts.book_toc import toc_entries

ROOT = Path(__file__).resolve().parents[2]

#: What the book is built from: a file newer than the HTML build means the site is stale.
SOURCES = [ROOT / "_toc.yml", ROOT / "_config.yml", ROOT / "references.bib"]
SOURCE_GLOBS = ["chapters/**/*.ipynb", "chapters/**/*.md", "lossbook/**/*.py", "_static/**/*",
                "_ext/*.py"]

#: What shapes the print without changing the site's pages.
PRINT_INPUTS = [ROOT / "scripts" / "build_pdf.py", ROOT / "_static" / "print.css",
                ROOT / "_toc.yml", ROOT / "lossbook" / "catalog.py"]


def _sources() -> list[Path]:
    files = [p for p in SOURCES if p.exists()]
    for pattern in SOURCE_GLOBS:
        files += [p for p in ROOT.glob(pattern) if p.is_file() and "TEMPLATE" not in p.name]
    return files


@dataclass
class TocPage:
    file: str
    title: str  # the first-level heading of the source, as the reader sees it


def _source_title(file: str) -> str:
    for suffix in (".ipynb", ".md"):
        path = ROOT / (file + suffix)
        if not path.exists():
            continue
        if suffix == ".ipynb":
            import json

            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        match = re.search(r"^# (.+)$", text, flags=re.M)
        if match:
            return match.group(1).strip()
    raise AssertionError(f"no title found for {file} in its source")


def toc_files() -> list[str]:
    return [entry.file for entry in toc_entries()]


class Printed:
    """The built PDF files, with Poppler's view of the book."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self.html = build_dir / "html"
        self.pdf_dir = build_dir / "pdf"
        self.book = self.pdf_dir / "lossbook.pdf"

    def chapter_pdf(self, file: str) -> Path:
        return self.pdf_dir / (file + ".pdf")

    @cached_property
    def toc(self) -> list[TocPage]:
        return [TocPage(f, _source_title(f)) for f in toc_files()]

    @cached_property
    def info(self) -> dict[str, str]:
        out = _run("pdfinfo", self.book)
        return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)

    @cached_property
    def pages(self) -> int:
        return int(self.info["Pages"])

    @cached_property
    def page_size(self) -> tuple[float, float]:
        w, h = re.match(r"\s*([\d.]+) x ([\d.]+)", self.info["Page size"]).groups()
        return float(w), float(h)

    @cached_property
    def text(self) -> str:
        return _run("pdftotext", "-enc", "UTF-8", self.book, "-")

    @cached_property
    def flat_text(self) -> str:
        """The text with all whitespace (line and page breaks too) as single spaces."""
        return flat(self.text)


#: Docutils prints straight quotes as typographic ones ("smart quotes").
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def flat(text: str) -> str:
    """``text`` with its whitespace collapsed and its quotes straight, for comparisons."""
    return " ".join(text.translate(_QUOTES).split())


def _run(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def _newest(paths) -> tuple[float, Path | None]:
    best = (0.0, None)
    for p in paths:
        m = p.stat().st_mtime
        if m > best[0]:
            best = (m, p)
    return best


@pytest.fixture(scope="session")
def printed() -> Printed:
    build_dir = Path(os.environ.get("LOSSBOOK_BUILD_DIR", ROOT / "_build")).resolve()
    stamp = build_dir / "html" / ".buildinfo"
    if not stamp.is_file():
        pytest.fail(f"no HTML build in {build_dir / 'html'}: run `make book` first")
    built = stamp.stat().st_mtime
    # .buildinfo is rewritten by every build, even one that changed nothing.
    newest, path = _newest(_sources())
    if newest > built:
        pytest.fail(f"the HTML build is older than {path.relative_to(ROOT)}: run `make book` first")

    result = Printed(build_dir)
    inputs_time, _ = _newest([stamp, *PRINT_INPUTS])
    fresh = result.book.is_file() and result.book.stat().st_mtime > inputs_time
    if os.environ.get("LOSSBOOK_PDF_REBUILD") == "1" or not fresh:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "build_pdf.py"), "--build-dir", str(build_dir)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            pytest.fail(f"scripts/build_pdf.py failed:\n{proc.stdout}\n{proc.stderr}")
    return result


def pytest_ignore_collect(collection_path, config):
    """Collect these tests only when they are asked for by path (``pytest tests/pdf``).

    They need the built site and take minutes; ``pytest tests`` (the unit run) leaves them
    out even without ``--ignore=tests/pdf``.
    """
    here = Path(__file__).parent.resolve()
    for arg in config.args:
        asked = Path(arg.split("::")[0]).resolve()
        if asked == here or here in asked.parents:
            return None
    return True
