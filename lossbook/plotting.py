r"""One plotting style for the whole book, and the loss/gradient figure helper.

This is the only lossbook module that imports matplotlib; ``import lossbook``
does not load it. Chapters call :func:`use_style` once in their setup cell::

    from lossbook.plotting import use_style
    use_style()

and draw the standard figure, the loss above its gradient, with
:func:`plot_loss_and_grad` on the axes of :func:`panels`.

Figures are sized for a phone first: 5 inches wide (500 CSS pixels), with
labels, ticks and legends at 11--12 pt, so that scaled to a 390 px screen
their text stays near the size of the body text. Panels are stacked, never
placed side by side, and every panel has a short title. PNGs are stored at
twice the resolution they are shown at (IPython's "retina" output), which
keeps them sharp on phones and at print resolution in the PDF.

Colours come from the Okabe--Ito palette, which stays distinguishable under
the common forms of colour-vision deficiency.

Examples
--------
>>> PALETTE["blue"]
'#0072B2'
>>> len(CYCLE)
8
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib
import numpy as np

__all__ = ["PALETTE", "CYCLE", "STYLE", "WIDTH", "use_style", "panels", "plot_loss_and_grad"]

#: Okabe--Ito colour-blind-safe palette (Okabe and Ito, "Color Universal Design").
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "orange": "#E69F00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Order in which curves take colours (yellow is late: weak contrast on white).
CYCLE: tuple[str, ...] = tuple(PALETTE.values())

#: Colour of reference lines (kinks, thresholds, zero).
GUIDE_COLOR = "#7F7F7F"

#: Width of every figure in inches; at 100 dpi, 500 CSS pixels on the page.
WIDTH = 5.0

#: Height of one panel in inches (a stack of ``n`` panels is ``n`` times as tall).
PANEL_HEIGHT = 3.0

#: matplotlib rcParams applied by :func:`use_style`.
STYLE: dict[str, object] = {
    "axes.prop_cycle": matplotlib.cycler(color=list(CYCLE)),
    "figure.figsize": (WIDTH, 3.4),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.format": "png",
    "figure.constrained_layout.use": True,
    "font.size": 12,
    "axes.labelsize": 12,
    "axes.titlesize": 12,
    "legend.fontsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2,
    "legend.frameon": False,
}


def use_style() -> None:
    """Apply the book's matplotlib style and PNG inline output.

    Call it once, in a notebook's setup cell. Inside IPython with the inline
    backend, figures are emitted as PNG only (SVG would embed random ids and
    break ``pytest --nbval``), at twice the pixels they are shown at
    ("retina": the stored output records the display size); outside IPython
    only the rcParams change.
    """
    import matplotlib.pyplot as plt  # loads the inline backend's own rc first

    plt.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is optional
        return
    if get_ipython() is not None and "inline" in matplotlib.get_backend():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")


def panels(rows: int = 1, *, sharex: bool = False, height: float = PANEL_HEIGHT):
    """A figure of ``rows`` panels stacked vertically, the book's width.

    Returns ``(fig, axes)``: one Axes for ``rows=1``, else an array of them,
    top first. Stacking keeps every panel as wide as the figure, so it stays
    legible on a phone; give each panel a short title (``ax.set_title``).

    >>> fig, (top, bottom) = panels(2, sharex=True)
    >>> [float(round(v, 1)) for v in fig.get_size_inches()]
    [5.0, 6.4]
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if rows < 1:
        raise ValueError(f"rows must be a positive integer, got {rows!r}")
    return plt.subplots(rows, 1, sharex=sharex,
                        figsize=(WIDTH, 0.4 + height * rows))


def plot_loss_and_grad(
    ax_loss,
    ax_grad,
    x: np.ndarray,
    curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
    *,
    xlabel: str,
    vlines: Iterable[float] = (),
) -> None:
    r"""Draw named losses (top) and their gradients (below) against ``x``.

    Parameters
    ----------
    ax_loss, ax_grad : matplotlib.axes.Axes
        Axes for the loss values and for the gradients, usually
        ``panels(2, sharex=True)``. Their titles are set to "loss" and
        "gradient".
    x : ndarray, shape (n,)
        The model output or error on the horizontal axis.
    curves : mapping of str to (ndarray, ndarray)
        ``label -> (loss, grad)``, both of shape ``(n,)``; ``grad`` is the
        derivative of the loss with respect to the quantity on the x-axis.
        Curve ``i`` has the same colour on both axes.
    xlabel : str
        Lowercase label for the shared x-axis, e.g. ``"residual $y-\hat y$"``.
    vlines : iterable of float
        Positions of kinks or thresholds, drawn as dotted vertical lines.

    The function returns nothing; end the notebook cell with ``plt.show()``.
    """
    x = np.asarray(x)
    for i, (label, (loss, grad)) in enumerate(curves.items()):
        color = CYCLE[i % len(CYCLE)]
        ax_loss.plot(x, np.asarray(loss), lw=2, color=color, label=label)
        ax_grad.plot(x, np.asarray(grad), lw=2, color=color, label=label)
    ax_grad.axhline(0.0, color=GUIDE_COLOR, lw=0.8)
    for v in vlines:
        for ax in (ax_loss, ax_grad):
            ax.axvline(v, color=GUIDE_COLOR, lw=1, ls=":")
    ax_loss.set_title("loss")
    ax_grad.set_title("gradient")
    if not ax_grad.get_shared_x_axes().joined(ax_loss, ax_grad):
        ax_loss.set_xlabel(xlabel)
    ax_grad.set_xlabel(xlabel)
    ax_loss.set_ylabel("loss")
    ax_grad.set_ylabel("gradient")
    if len(curves) > 1:
        ax_loss.legend()
