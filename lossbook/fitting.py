r"""Fit a linear model by full-batch gradient descent on any loss of the catalog.

The book's experiments train small models to show what a loss does (how far an outlier
pulls a regression line, how fast a confidently wrong neuron recovers). They all need the
same loop, written once here: the model is linear in its weights, :math:`\hat y = X W`
(``W`` of shape ``(D,)`` for one output per example, ``(D, C)`` for ``C`` scores), and
the gradient comes from the loss's own hand-derived ``*_grad`` by the chain rule,
:math:`\nabla_W L = X^\top \nabla_{\hat y} L`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import as_float_array

__all__ = ["Fit", "fit_linear"]


@dataclass(frozen=True)
class Fit:
    """The result of :func:`fit_linear`."""

    weights: np.ndarray
    #: the loss before each step and after the last one, ``steps + 1`` values
    history: np.ndarray


def fit_linear(loss, grad, features, target, *, lr, steps, weights=None, **loss_kwargs):
    r"""Minimise ``loss(features @ W, target, **loss_kwargs)`` over ``W`` by gradient descent.

    Args:
        loss: a lossbook loss, e.g. ``lossbook.huber`` (``reduction="mean"`` is used).
        grad: its gradient function, e.g. ``lossbook.huber_grad``.
        features: ``(N, D)`` design matrix; add a column of ones for an intercept.
        target: the loss's target for the ``N`` examples.
        lr: the step size, > 0.
        steps: the number of full-batch steps, >= 0.
        weights: the starting weights, ``(D,)`` or ``(D, C)``; zeros ``(D,)`` by default.
        **loss_kwargs: hyperparameters passed to ``loss`` and ``grad`` (``delta=...``).

    Returns:
        :class:`Fit` with the final weights and the loss history.

    Examples:
        >>> import numpy as np, lossbook
        >>> X = np.column_stack([np.ones(4), np.arange(4.0)])
        >>> fit = fit_linear(lossbook.mse, lossbook.mse_grad, X, 1 + 2 * np.arange(4.0),
        ...                  lr=0.1, steps=500)
        >>> print(np.round(fit.weights, 3))
        [1. 2.]
    """
    features = as_float_array(features, "features")
    if features.ndim != 2:
        raise ValueError(f"features must have shape (N, D), got {features.shape}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps!r}")
    w = np.zeros(features.shape[1]) if weights is None else as_float_array(weights, "weights")
    w = w.astype(features.dtype, copy=True)
    history = [loss(features @ w, target, **loss_kwargs)]
    for _ in range(steps):
        w -= lr * (features.T @ grad(features @ w, target, **loss_kwargs))
        history.append(loss(features @ w, target, **loss_kwargs))
    return Fit(weights=w, history=np.asarray(history))
