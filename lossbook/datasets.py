r"""Small synthetic regression data sets for the book's experiments.

Each generator takes the number of examples and a ``seed`` and returns NumPy arrays, so a
chapter can rebuild exactly the same data as another one without copying code. The data
follow a straight line :math:`y = a + b x` plus noise, with ``x`` drawn uniformly in
:math:`[0, 1]`; fit them with ``lossbook.fitting.fit_linear`` on the design matrix
returned by ``design_matrix``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["design_matrix", "line_with_outliers", "heteroscedastic_line"]


def design_matrix(x):
    r"""The ``(N, 2)`` design matrix ``[1, x]`` of the model :math:`\hat y = w_0 + w_1 x`.

    Examples:
        >>> print(design_matrix([0.5, 2.0]))
        [[1.  0.5]
         [1.  2. ]]
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {x.shape}")
    return np.column_stack([np.ones_like(x), x])


def line_with_outliers(n, share, *, seed, intercept=1.0, slope=2.0, noise=0.2, factor=10.0):
    r"""Points on a line with Gaussian noise, a ``share`` of them recorded ``factor`` times too large.

    The clean targets are :math:`y_i = a + b x_i + \sigma \varepsilon_i` with
    :math:`x_i \sim U(0, 1)` and :math:`\varepsilon_i \sim N(0, 1)`. Then
    ``round(share * n)`` examples, chosen at random, are multiplied by ``factor``: a gross
    recording error such as a value typed in the wrong unit. With the default positive
    line every corrupted point moves far up, and further up the larger its ``x``, so the
    corruption tilts a fit that follows it.

    The same ``seed`` gives the same ``x``, noise and order of corrupted points for every
    ``share``: the corrupted set for a smaller share is contained in the one for a larger
    share, so a sweep over ``share`` changes one thing at a time.

    Args:
        n: number of examples, >= 2.
        share: fraction of corrupted examples, in [0, 1).
        seed: seed of ``numpy.random.default_rng``.
        intercept, slope: the true line :math:`a`, :math:`b`.
        noise: standard deviation :math:`\sigma` of the Gaussian noise.
        factor: the multiplier applied to the corrupted targets.

    Returns:
        ``(x, y, is_outlier)``: arrays of shape ``(n,)``; ``is_outlier`` is boolean.

    Examples:
        >>> x, y, bad = line_with_outliers(200, 0.1, seed=0)
        >>> print(x.shape, y.shape, int(bad.sum()))
        (200,) (200,) 20
        >>> x0, y0, _ = line_with_outliers(200, 0.0, seed=0)
        >>> bool(np.all(x == x0) and np.all(y[~bad] == y0[~bad]))
        True
    """
    if n < 2:
        raise ValueError(f"n must be >= 2, got {n!r}")
    if not 0 <= share < 1:
        raise ValueError(f"share must be in [0, 1), got {share!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=n)
    y = intercept + slope * x + noise * rng.standard_normal(n)
    order = rng.permutation(n)
    is_outlier = np.zeros(n, dtype=bool)
    is_outlier[order[: round(share * n)]] = True
    y = np.where(is_outlier, factor * y, y)
    return x, y, is_outlier


def heteroscedastic_line(n, *, seed, intercept=1.0, slope=2.0, noise0=0.2, noise1=1.0):
    r"""Points around a line whose noise grows with ``x``.

    :math:`y_i = a + b x_i + (s_0 + s_1 x_i)\,\varepsilon_i` with :math:`x_i \sim U(0, 1)`
    and :math:`\varepsilon_i \sim N(0, 1)`. Because the noise scale is linear in ``x``,
    every conditional quantile is a straight line too:
    :math:`q_\tau(x) = a + b x + (s_0 + s_1 x)\, z_\tau`, with :math:`z_\tau` the standard
    normal quantile, so a linear quantile regression is the right model.

    Args:
        n: number of examples, >= 2.
        seed: seed of ``numpy.random.default_rng``.
        intercept, slope: the line :math:`a`, :math:`b` of the conditional mean.
        noise0, noise1: the noise standard deviation is ``noise0 + noise1 * x``, > 0 on [0, 1].

    Returns:
        ``(x, y)``: arrays of shape ``(n,)``.

    Examples:
        >>> x, y = heteroscedastic_line(1000, seed=0)
        >>> left, right = y[x < 0.2] - 1 - 2 * x[x < 0.2], y[x > 0.8] - 1 - 2 * x[x > 0.8]
        >>> bool(right.std() > 3 * left.std())
        True
    """
    if n < 2:
        raise ValueError(f"n must be >= 2, got {n!r}")
    if not (noise0 > 0 and noise0 + noise1 > 0):
        raise ValueError(f"noise0 and noise0 + noise1 must be > 0, got {noise0!r}, {noise1!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=n)
    y = intercept + slope * x + (noise0 + noise1 * x) * rng.standard_normal(n)
    return x, y
