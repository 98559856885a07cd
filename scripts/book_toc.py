"""The book's pages in reading order, read from ``_toc.yml``.

One reader of the table of contents for every tool that walks the book: the PDF print, the
site's browser tests, and the tests that tie the catalog and its claims to the chapters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class TocEntry:
    file: str  # the page's path without suffix, e.g. "chapters/regression/mse"
    part: str | None  # the caption of its part; None for the root page
    numbered: bool


def toc_entries(toc_path: Path = ROOT / "_toc.yml") -> list[TocEntry]:
    """Every page of the table of contents, root first, nested sections flattened."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entries = [TocEntry(_strip_suffix(toc["root"]), None, False)]

    def walk(items, part, numbered):
        for item in items or ():
            if "file" in item:
                entries.append(TocEntry(_strip_suffix(item["file"]), part, numbered))
            walk(item.get("sections"), part, numbered)

    for part in toc.get("parts", ()):
        walk(part.get("chapters"), part.get("caption"), bool(part.get("numbered")))
    walk(toc.get("chapters"), None, bool(toc.get("numbered")))
    return entries


def _strip_suffix(file: str) -> str:
    return re.sub(r"\.(ipynb|md|rst)$", "", file)
