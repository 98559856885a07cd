#!/usr/bin/env python3
"""Check that the chapter notebooks were run top to bottom in a fresh kernel.

``pytest --nbval`` compares each notebook's stored outputs with a new run, so
the stored outputs must come from one clean, in-order execution. For every
``*.ipynb`` under the given folders (default: ``chapters``) this script fails
when:

* the kernel is not ``python3``;
* a code cell is empty, or has no execution count (it was never run);
* the execution counts are not exactly 1, 2, ..., n in cell order (cells were
  run out of order, or some were run twice);
* a cell has a stored error output and no ``raises-exception`` tag;
* volatile metadata is stored: execution timestamps (``metadata.execution``)
  or widget state (``metadata.widgets``);
* a cell's printed output is split into consecutive pieces of the same stream, or is a
  stream holding only whitespace: the site would show a block cut in two, or an empty box.

Fix a failing notebook with ``make notebooks`` (``scripts/execute_notebooks.py``),
which re-executes it in place in a fresh kernel.

Usage: ``python scripts/check_notebooks.py [FOLDER_OR_NOTEBOOK ...]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

KERNEL = "python3"


def find_notebooks(paths: list[str]) -> list[Path]:
    """Return the notebooks named by ``paths`` (files or folders), sorted."""
    found: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found.update(q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts)
        elif p.suffix == ".ipynb" and p.is_file():
            found.add(p)
        else:
            raise SystemExit(f"check_notebooks: no notebook or folder at {p}")
    return sorted(found)


def problems(path: Path) -> list[str]:
    """Return a list of human-readable problems found in one notebook."""
    nb = nbformat.read(path, as_version=4)
    out: list[str] = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        out.append(f"invalid notebook format: {exc.message}")

    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != KERNEL:
        out.append(f"kernel is {kernel!r}, expected {KERNEL!r}")
    if "widgets" in nb.metadata:
        out.append("notebook metadata stores widget state ('widgets')")

    expected = 0
    for index, cell in enumerate(nb.cells):
        where = f"cell {index}"
        if "execution" in cell.get("metadata", {}):
            out.append(f"{where}: stores execution timestamps (metadata.execution)")
        if cell.cell_type != "code":
            continue
        expected += 1
        if not cell.source.strip():
            out.append(f"{where}: empty code cell (delete it)")
        count = cell.get("execution_count")
        if count is None:
            out.append(f"{where}: code cell was not executed (no execution count)")
        elif count != expected:
            out.append(f"{where}: execution count {count}, expected {expected}")
        tags = cell.get("metadata", {}).get("tags", [])
        streams = [(o.get("name"), o.get("text", "")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream"]
        outputs = cell.get("outputs", [])
        if any(a.get("output_type") == b.get("output_type") == "stream"
               and a.get("name") == b.get("name") for a, b in zip(outputs, outputs[1:])):
            out.append(f"{where}: printed output split into pieces (re-run it)")
        if any(not text.strip() for _, text in streams):
            out.append(f"{where}: prints an empty block")
        for output in outputs:
            if output.get("output_type") == "error" and "raises-exception" not in tags:
                out.append(
                    f"{where}: stored error {output.get('ename')}: {output.get('evalue')}"
                )
    return out


def main(argv: list[str]) -> int:
    notebooks = find_notebooks(argv or ["chapters"])
    if not notebooks:
        print("check_notebooks: no notebooks found", file=sys.stderr)
        return 1
    failed = 0
    for path in notebooks:
        found = problems(path)
        if found:
            failed += 1
            print(f"FAIL {path}")
            for line in found:
                print(f"  - {line}")
        else:
            print(f"ok   {path}")
    if failed:
        print(
            f"\n{failed} of {len(notebooks)} notebook(s) need a clean re-run: "
            "`make notebooks` (or `python scripts/execute_notebooks.py PATH`).",
            file=sys.stderr,
        )
        return 1
    print(f"{len(notebooks)} notebook(s) checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
