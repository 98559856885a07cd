"""A pytest plugin for ``pytest --nbval``: the same run compares the figures too.

nbval re-executes each notebook and compares every text output with the stored one, but it
does not compare images. Loaded with ``-p tests.nbval_figures`` (the Makefile's ``nbval``
target does), this plugin checks, after each cell that nbval compared, that the cell drew the
same figures as the stored ones within the tolerance of :mod:`tests.outputs`. So one execution
of each notebook checks both what it prints and what it draws.
"""

import pytest

from tests.outputs import figure_problems


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    fresh = getattr(item, "test_outputs", None)
    options = getattr(item, "options", {})
    cell = getattr(item, "cell", None)
    if fresh is None or cell is None or not options.get("check", False):
        return result
    if cell.get("execution_count") is None:  # nbval compares nothing here either
        return result
    problems = figure_problems(cell.outputs, fresh)
    if problems:
        pytest.fail("stored figures differ from a fresh run (run make notebooks): "
                    + "; ".join(problems), pytrace=False)
    return result
