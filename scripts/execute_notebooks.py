#!/usr/bin/env python3
"""Re-execute chapter notebooks in place, each in a fresh ``python3`` kernel.

Use it after editing a notebook, so that its stored outputs (which
``pytest --nbval`` checks) come from one top-to-bottom run with execution
counts 1..n. Run it with the project's environment, e.g. ``make notebooks`` or
``.venv/bin/python scripts/execute_notebooks.py chapters/intro.ipynb``.

Each notebook runs with its own folder as the working directory, like the book
build does. Execution timestamps are not recorded, so re-running an unchanged
notebook leaves the file unchanged apart from image bytes. A cell that raises
stops the run and the file is left untouched, unless the cell is tagged
``raises-exception``.

Usage: ``python scripts/execute_notebooks.py [FOLDER_OR_NOTEBOOK ...]``
(default: ``chapters``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_notebooks import KERNEL, find_notebooks, problems  # noqa: E402

TIMEOUT = 120  # seconds per cell, as in _config.yml


def merged_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same name as one output.

    The kernel may flush a cell's printed text in pieces (a flush timer firing between a
    line and its newline), which the site would show as one block cut in two. nbval merges
    them before comparing; the stored notebook holds them merged too.
    """
    merged: list = []
    for out in outputs:
        if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def execute(path: Path) -> None:
    """Execute one notebook in a fresh kernel and write the outputs back."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.setdefault("kernelspec", {})
    nb.metadata.kernelspec.update(
        {"name": KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"}
    )
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name=KERNEL,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    notebooks = find_notebooks(argv or ["chapters"])
    for path in notebooks:
        start = time.perf_counter()
        print(f"executing {path} ...", end=" ", flush=True)
        try:
            execute(path)
        except CellExecutionError as exc:
            print("FAILED")
            print(exc, file=sys.stderr)
            return 1
        print(f"{time.perf_counter() - start:.1f} s")
        left = problems(path)
        if left:
            print("\n".join(f"  - {line}" for line in left), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
