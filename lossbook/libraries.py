"""Comparing lossbook with Keras and scikit-learn, as the two library chapters do.

The catalog holds, for each loss, a Keras and a scikit-learn expression that gives
lossbook's value from the other library (:mod:`lossbook.catalog`). :func:`translation`
evaluates one; :func:`show` prints values from several libraries one per line, and
:func:`close` compares two of them to the seven digits Keras's torch backend keeps.

Keras is imported by :func:`translation` only, and its backend is chosen when it is first
imported: set ``KERAS_BACKEND=torch`` before (the chapters do it in their first cell).
Importing this module imports NumPy alone.
"""

from __future__ import annotations

import importlib

import numpy as np

from .catalog import by_name

__all__ = ["close", "show", "translation"]


def translation(name, library, *args, **kwargs):
    """The catalog's ``library`` expression (``"keras"`` or ``"sklearn"``) for the loss
    ``name``, evaluated on the loss's positional ``args`` and keyword ``kwargs``; None where
    the library has no equivalent for these keyword arguments.

    Raises ``ValueError`` if the catalog has no such expression.
    """
    if library not in ("keras", "sklearn"):
        raise ValueError(f"library must be 'keras' or 'sklearn', got {library!r}")
    spec = by_name(name)
    expression = getattr(spec, library)
    if not expression:
        raise ValueError(f"the catalog has no {library} expression for {name!r}")
    importlib.import_module("keras" if library == "keras" else "sklearn.metrics")
    names = {"np": np, library: importlib.import_module(library)}
    return eval(expression, {**names, **spec.bind(args, kwargs)})  # noqa: S307 - our catalog


def show(values, *notes):
    """Print one line per entry of ``values`` (a dict of label to number), the value first
    to four decimals, then the ``notes``, one per line."""
    lines = [f"{float(value):9.4f}  {label}" for label, value in values.items()]
    print("\n".join([*lines, *notes]))


def close(a, b, rtol=1e-6):
    """Whether ``a`` and ``b`` agree to about seven digits (relative to ``max(1, |b|)``):
    Keras's torch backend takes some steps in float32 even on float64 inputs."""
    return abs(float(a) - float(b)) <= rtol * max(1.0, abs(float(b)))
