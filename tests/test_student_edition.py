"""The student edition keeps every exercise, loses every solution, and still runs.

``scripts/student_edition.py`` writes it; these tests build it in a temporary folder. A
cell that needs a solution's result would fail there: such a cell must be tagged
``uses-solution`` in the chapter, and is the only kind allowed to raise.

Running the student edition re-executes every cell of the book but the solutions, and it does
so under other math kernels than the machine's own: OpenBLAS's generic ``Prescott`` kernel and
PyTorch's ``default`` (no AVX) CPU capability (:data:`OTHER_KERNELS`). The same run compares
the text of every kept cell with the stored output, character for character, and its figures
within the tolerance of :mod:`tests.outputs`. ``pytest --nbval`` (with ``tests.nbval_figures``)
makes the same comparisons of every cell, solutions included, on the native kernels. Together
they prove that the site, which shows the stored outputs, shows what the code produces now, and
that a reader whose CPU picks other kernels gets the same numbers and figures.
"""

import os

import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

from scripts import student_edition
from scripts.check_notebooks import find_notebooks
from tests.outputs import figure_problems, text_outputs

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = find_notebooks([str(ROOT / "chapters")])
IDS = [str(p.relative_to(ROOT / "chapters")) for p in NOTEBOOKS]
#: Kernels other than the native ones, for the student-edition run: OpenBLAS's generic x86-64
#: kernel and PyTorch's code path without AVX.
OTHER_KERNELS = {"OPENBLAS_CORETYPE": "Prescott", "ATEN_CPU_CAPABILITY": "default"}


def count(cells, text):
    return sum(c.source.count(text) for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_exercises_stay_and_solutions_go(path):
    book = nbformat.read(path, as_version=4)
    student = student_edition.student_notebook(path)
    solutions = count(book.cells, "{solution-start}") + count(book.cells, "{solution}")
    assert count(student.cells, "{exercise") == count(book.cells, "{exercise")
    assert count(student.cells, "{solution") == 0
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    answers = [c for c in student.cells if c.source == student_edition.ANSWER.strip()]
    assert len(answers) == solutions
    # Every other code cell is kept, in order, with its outputs cleared.
    kept = [c.source for c in book.cells if c.cell_type == "code"
            and "solution" not in c.metadata.get("tags", [])]
    assert [c.source for c in student.cells if c.cell_type == "code" and c not in answers] == kept
    assert all(not c.outputs and c.execution_count is None
               for c in student.cells if c.cell_type == "code")
    nbformat.validate(student)


def test_an_untagged_code_cell_inside_a_solution_is_refused():
    cells = [nbformat.v4.new_markdown_cell("````{solution-start} ex-1\n````"),
             nbformat.v4.new_code_cell("answer = 42"),
             nbformat.v4.new_markdown_cell("````{solution-end}\n````")]
    with pytest.raises(ValueError, match="not tagged 'solution'"):
        student_edition.student_cells(cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_edition_executes_and_reproduces_on_other_kernels(path):
    nb = student_edition.student_notebook(path)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}
                   ).execute(env={**os.environ, **OTHER_KERNELS})
    failed = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "code"
              and any(o.output_type == "error" for o in c.outputs)
              and "uses-solution" not in c.metadata.get("tags", [])]
    assert failed == [], f"cells that fail without the solutions: {failed}"

    stored = {c.id: c for c in nbformat.read(path, as_version=4).cells
              if c.cell_type == "code"}
    differ = []
    for cell in nb.cells:
        if cell.id not in stored or "uses-solution" in cell.metadata.get("tags", []):
            continue
        first = cell.source.splitlines()[0]
        if text_outputs(cell.outputs) != text_outputs(stored[cell.id].outputs):
            differ.append(f"{first!r}: printed output")
        differ += [f"{first!r}: {p}" for p in figure_problems(stored[cell.id].outputs,
                                                              cell.outputs)]
    assert differ == [], ("stored outputs differ from a run on other kernels "
                          f"({OTHER_KERNELS}); run make notebooks, and print rounded values: "
                          + "; ".join(differ))
