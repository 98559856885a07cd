#!/usr/bin/env python3
"""The first code cell of every chapter: install lossbook when the notebook runs alone.

A notebook opened in Colab, in Binder or after a download has no repository around it, so
``import lossbook`` would fail. Its first code cell therefore installs the package from the
repository named in ``_config.yml`` (the address the site's launch buttons use) when it
cannot be imported, and does nothing otherwise. The cell is tagged ``remove-cell``: readers of
the website do not see it.

``LOSSBOOK_SOURCE`` overrides what is installed (a local path or wheel, for instance); the
tests use it to run a notebook in an environment without lossbook and without a network.

Run this script to insert or refresh the cell in every notebook under ``chapters/``, then
re-execute them (``make notebooks``). ``scripts/check_notebooks.py`` fails on a notebook whose
first code cell is not exactly this one.

Usage: ``python scripts/install_cell.py``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_notebooks import find_notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TAG = "remove-cell"

TEMPLATE = '''\
# Running this notebook on its own (Colab, Binder, a download)? This installs lossbook.
import importlib
import importlib.util

if importlib.util.find_spec("lossbook") is None:
    import os
    import subprocess
    import sys

    source = os.environ.get("LOSSBOOK_SOURCE", "git+{url}")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)
    importlib.invalidate_caches()'''


def repository_url(config: Path = ROOT / "_config.yml") -> str:
    """The ``repository: url:`` of the book's configuration."""
    match = re.search(r"^repository:\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*(\S+)", config.read_text(),
                      re.M)
    if not match:
        raise ValueError(f"{config} has no repository url")
    return match.group(1)


def install_cell_source() -> str:
    return TEMPLATE.format(url=repository_url())


def has_install_cell(nb) -> bool:
    code = [c for c in nb.cells if c.cell_type == "code"]
    return bool(code) and code[0].source == install_cell_source() \
        and TAG in code[0].metadata.get("tags", [])


def insert_install_cell(nb) -> None:
    """Make the notebook's first code cell the install cell (replacing an older copy)."""
    nb.cells = [c for c in nb.cells
                if not (c.cell_type == "code" and TAG in c.metadata.get("tags", [])
                        and "LOSSBOOK_SOURCE" in c.source)]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, nbformat.v4.new_code_cell(
        install_cell_source(), metadata={"tags": [TAG]}))


def main() -> int:
    for path in find_notebooks([str(ROOT / "chapters")]):
        nb = nbformat.read(path, as_version=4)
        if not has_install_cell(nb):
            insert_install_cell(nb)
            nbformat.write(nb, path)
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
