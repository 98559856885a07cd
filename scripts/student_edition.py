#!/usr/bin/env python3
"""Write the student edition of the chapter notebooks: exercises kept, solutions removed.

For every notebook under ``chapters/`` this writes a copy under the output folder (default
``_build/student``, same sub-folders) in which

* each solution is gone: the ``solution-start`` ... ``solution-end`` block of the markdown
  and every code cell between them (those cells are tagged ``solution``);
* each exercise is followed by an empty code cell for the student's answer;
* every output is cleared, so students run the notebook themselves.

Everything else, prose, code and exercise prompts, is unchanged. A teacher hands out the
student edition and keeps the book, where solutions are folded under each exercise.

Usage: ``python scripts/student_edition.py [OUTPUT_FOLDER]``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_notebooks import find_notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
SOLUTION_START = re.compile(r"^`{3,}\{solution-start\}")
SOLUTION_BLOCK = re.compile(r"^(`{3,})\{solution\}")
SOLUTION_END = re.compile(r"^`{3,}\{solution-end\}")
FENCE = re.compile(r"^`{3,}\s*$")
ANSWER = "# Your answer here.\n"


def student_cells(cells: list) -> list:
    """The cells of a notebook with its solutions removed and answer cells added."""
    out, in_solution, skip_to_fence, block_fence = [], False, False, None
    for cell in cells:
        if cell.cell_type == "code":
            if in_solution:
                if "solution" not in cell.metadata.get("tags", []):
                    raise ValueError("a code cell inside a solution is not tagged 'solution':\n"
                                     + cell.source[:200])
                continue
            cell = nbformat.from_dict(dict(cell))
            cell.outputs, cell.execution_count = [], None
            out.append(cell)
            continue
        kept, opened_solution = [], False
        for line in cell.source.splitlines():
            if block_fence:                  # inside a one-cell {solution} directive
                block_fence = None if line.strip() == block_fence else block_fence
            elif skip_to_fence:              # the closing fence of a solution-end marker
                skip_to_fence = not FENCE.match(line)
            elif SOLUTION_BLOCK.match(line):
                block_fence, opened_solution = SOLUTION_BLOCK.match(line).group(1), True
            elif SOLUTION_START.match(line):
                in_solution, opened_solution = True, True
            elif SOLUTION_END.match(line):
                in_solution, skip_to_fence = False, True
            elif not in_solution:
                kept.append(line)
        text = "\n".join(kept).strip()
        if text:
            new = nbformat.v4.new_markdown_cell(text, metadata=dict(cell.metadata))
            if "id" in cell:
                new.id = cell.id
            out.append(new)
        if opened_solution:
            out.append(nbformat.v4.new_code_cell(ANSWER.strip()))
    if in_solution or block_fence:
        raise ValueError("a solution is not closed")
    return out


def student_notebook(path: Path):
    nb = nbformat.read(path, as_version=4)
    nb.cells = student_cells(nb.cells)
    return nb


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else ROOT / "_build" / "student"
    notebooks = find_notebooks([str(CHAPTERS)])
    for path in notebooks:
        target = output / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_notebook(path), target)
    print(f"wrote {len(notebooks)} student notebooks to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
