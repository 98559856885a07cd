"""Comparing a notebook's stored outputs with a fresh run: text exactly, figures within a tolerance.

The site shows the outputs stored in the notebooks, so the tests compare them with what the
code produces now. Text is compared character for character (``pytest --nbval``, and
:func:`text_outputs` for the student-edition run). Figures are compared as pictures: the last
bits of a floating-point sum depend on the math kernels that OpenBLAS and PyTorch pick for the
CPU (``OPENBLAS_CORETYPE``, ``ATEN_CPU_CAPABILITY``), and such a bit can move a curve's
anti-aliasing by one shade on a few pixels. :func:`figure_problems` therefore accepts a fresh
PNG whose root-mean-square pixel difference from the stored one (matplotlib's own
``matplotlib.testing.compare.calculate_rms``, on 0--255 RGB values) is at most
:data:`FIGURE_RMS_TOLERANCE`; a change of the plotted data moves whole lines and markers and
exceeds it (``tests/test_outputs.py`` checks both sides).
"""

from __future__ import annotations

import base64
import io

import numpy as np

#: Largest root-mean-square difference, in 0--255 RGB units, between a stored figure and the
#: one the code draws now. Measured between OpenBLAS's and PyTorch's kernels (README): well
#: below it; a data change a reader could see: well above it.
FIGURE_RMS_TOLERANCE = 0.5


def pngs(outputs) -> list[str]:
    """The base64 PNGs among a cell's outputs, in order."""
    return [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]


def decode(png: str) -> np.ndarray:
    """A base64 PNG as an RGB array of shape (height, width, 3)."""
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(png))) as image:
        return np.asarray(image.convert("RGB"))


def figure_rms(stored: str, fresh: str) -> float:
    """Root-mean-square pixel difference of two PNGs of the same size (else ``inf``)."""
    from matplotlib.testing.compare import calculate_rms

    a, b = decode(stored), decode(fresh)
    if a.shape != b.shape:
        return float("inf")
    return float(calculate_rms(a.astype(np.int16), b.astype(np.int16)))


def figure_problems(stored_outputs, fresh_outputs) -> list[str]:
    """What differs between the figures of a stored and a fresh cell; empty when they match."""
    stored, fresh = pngs(stored_outputs), pngs(fresh_outputs)
    if len(stored) != len(fresh):
        return [f"{len(stored)} stored figure(s), {len(fresh)} drawn now"]
    problems = []
    for k, (old, new) in enumerate(zip(stored, fresh)):
        if old == new:
            continue
        rms = figure_rms(old, new)
        if rms > FIGURE_RMS_TOLERANCE:
            shown = "a different size" if rms == float("inf") else f"RMS difference {rms:.2f}"
            problems.append(f"figure {k + 1}: {shown} (tolerance {FIGURE_RMS_TOLERANCE})")
    return problems


def text_outputs(outputs) -> list[tuple[str, str]]:
    """A cell's text outputs as nbval compares them: streams merged by name, then plain text."""
    streams: dict[str, str] = {}
    shown = []
    for o in outputs:
        if o["output_type"] == "stream":
            streams[o["name"]] = streams.get(o["name"], "") + o["text"]
        elif o["output_type"] in ("execute_result", "display_data"):
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in o.get("data", {}):
                    shown.append((mime, o["data"][mime]))
        elif o["output_type"] == "error":
            shown.append(("error", f"{o['ename']}: {o['evalue']}"))
    return sorted(streams.items()) + shown
