r"""Ordinal losses: K ordered grades, read through the K - 1 boundaries between them.

A grade :math:`y \in \{0, 1, \dots, K-1\}` (a severity, a star rating, an age band) is a
class whose neighbours are closer than the others. Both losses here describe it by its
:math:`K - 1` boundaries, "is :math:`y` above grade :math:`k`?":

* :func:`cumulative_link` (the proportional-odds model of McCullagh 1980): one score
  :math:`\eta` per example and :math:`K - 1` increasing cut-points :math:`\theta_k`, with
  :math:`P(y \le k) = \sigma(\theta_k - \eta)`; the loss is the negative log of the
  probability of the observed grade, a difference of two cumulative probabilities.
* :func:`coral` (Cao, Mirjalili and Raschka 2020): :math:`K - 1` logits, one binary
  cross-entropy per boundary on the labels :math:`1[y > k]`, summed over the boundaries.

Targets are integer grades ``(N,)``; the number of grades :math:`K` is read from the
scores (``cutpoints`` of shape ``(K-1,)``, or ``logits`` of shape ``(N, K-1)``).
:func:`cumulative_link_probs` and :func:`levels` are helpers for models and chapters; they
are not losses and are not exported at the top of ``lossbook``.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .binary import _sigmoid, _softplus_pair
from .multiclass import _class_sum
from .checks import (
    as_float_array,
    as_index_array,
    check_index_range,
    check_nonempty,
    check_nonnegative,
    check_wrt,
)
from .reduction import reduce, scale_grad

__all__ = [
    "cumulative_link",
    "cumulative_link_grad",
    "coral",
    "coral_grad",
    "cumulative_link_probs",
    "levels",
]


def _grades(target, n, num_grades):
    """Integer grades ``(n,)`` in ``[0, num_grades)``."""
    target = as_index_array(target, "target", num_grades)
    if target.shape != (n,):
        raise ValueError("target must hold one grade per example, "
                         f"expected shape ({n},), got {target.shape}")
    if target.size and (target.min() < 0 or target.max() >= num_grades):
        bad = target[(target < 0) | (target >= num_grades)][0]
        raise ValueError(f"target must hold grades in [0, {num_grades - 1}], got {int(bad)}")
    return target


def _check_increasing(cutpoints):
    """Raise ``ValueError`` unless each cut-point is above the one before (NaN passes)."""
    steps = np.diff(cutpoints)
    if np.any(steps <= 0):
        k = int(np.flatnonzero(steps <= 0)[0])
        raise ValueError(
            "cutpoints must be strictly increasing, got "
            f"cutpoints[{k}] = {float(cutpoints[k])!r} >= "
            f"cutpoints[{k + 1}] = {float(cutpoints[k + 1])!r}")


def _prepare_cumulative(scores, target, cutpoints):
    scores = as_float_array(scores, "scores")
    cutpoints = as_float_array(cutpoints, "cutpoints")
    if scores.ndim != 1:
        raise ValueError(f"scores must have shape (N,), one score per example, "
                         f"got {scores.shape}")
    if cutpoints.ndim != 1 or cutpoints.size == 0:
        raise ValueError("cutpoints must have shape (K-1,) with K >= 2 grades, "
                         f"got {cutpoints.shape}")
    check_nonempty(scores, "scores")
    _check_increasing(cutpoints)
    dtype = np.result_type(scores, cutpoints)
    scores, cutpoints = scores.astype(dtype, copy=False), cutpoints.astype(dtype, copy=False)
    return scores, _grades(target, len(scores), cutpoints.size + 1), cutpoints


def _boundaries(scores, target, cutpoints):
    """The two boundaries of each example's grade, ``upper`` = theta_y - eta and
    ``lower`` = theta_{y-1} - eta, with theta_{K-1} = +inf and theta_{-1} = -inf: a
    missing boundary is infinite and drops out of every formula by itself."""
    inf = np.full(1, np.inf, dtype=cutpoints.dtype)
    above = np.concatenate([cutpoints, inf])   # theta_y for y = 0..K-1
    below = np.concatenate([-inf, cutpoints])  # theta_{y-1}
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is fixed below
        upper = np.subtract(above[target], scores)
        lower = np.subtract(below[target], scores)
        finite = np.isfinite(np.sum(scores))  # one cheap pass
    if not finite:  # rare: an infinite (or NaN) score
        upper[target == cutpoints.size] = np.inf
        lower[target == 0] = -np.inf
    return upper, lower


def _per_grade(cutpoints, fn):
    """``fn`` of the width theta_y - theta_{y-1} of each inner grade, 0 for the two end
    grades (whose width is infinite): a table of K entries, looked up by the target."""
    table = np.zeros(cutpoints.size + 1, dtype=cutpoints.dtype)
    table[1:-1] = fn(np.diff(cutpoints))
    return table


def _softplus(x):
    r""":math:`\log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})`, in a fresh array."""
    shared = np.abs(x, out=np.empty_like(x))
    np.negative(shared, out=shared)
    np.exp(shared, out=shared)
    np.log1p(shared, out=shared)
    return np.add(np.maximum(x, 0), shared, out=shared)


def cumulative_link_probs(scores, cutpoints):
    r"""The probabilities ``(N, K)`` of the K grades under the cumulative logit model,
    :math:`P(y = k) = \sigma(\theta_k - \eta) - \sigma(\theta_{k-1} - \eta)` with
    :math:`\theta_{-1} = -\infty`, :math:`\theta_{K-1} = +\infty`. For increasing
    cut-points every entry is in [0, 1] and each row sums to 1.

    Examples:
        >>> p = cumulative_link_probs(np.array([0.0]), np.array([-1.0, 1.0]))
        >>> print(np.round(p, 4))
        [[0.2689 0.4621 0.2689]]
    """
    scores = as_float_array(scores, "scores")
    cutpoints = as_float_array(cutpoints, "cutpoints")
    _check_increasing(cutpoints)
    below = sigmoid(cutpoints[None, :] - scores[:, None])  # P(y <= k), (N, K-1)
    n = len(scores)
    cumulative = np.concatenate([np.zeros((n, 1)), below, np.ones((n, 1))], axis=1)
    return np.diff(cumulative, axis=1).astype(below.dtype, copy=False)


def cumulative_link(scores, target, cutpoints, *, reduction="mean"):
    r"""Negative log-likelihood of the cumulative logit (proportional-odds) model.

    With one score :math:`\eta_i` per example and cut-points
    :math:`\theta_0 < \dots < \theta_{K-2}`, the model says
    :math:`P(y \le k) = \sigma(\theta_k - \eta)`, so

    .. math::

        \ell_i = -\log\bigl[\sigma(\theta_{y_i} - \eta_i)
                             - \sigma(\theta_{y_i - 1} - \eta_i)\bigr],
        \qquad \theta_{-1} = -\infty,\ \theta_{K-1} = +\infty.

    Computed as :math:`-[\log\sigma(b) + \log\sigma(-a) + \log(1 - e^{-(b - a)})]` with
    :math:`b = \theta_{y} - \eta`, :math:`a = \theta_{y-1} - \eta` (the difference
    :math:`\sigma(b) - \sigma(a)` factored as :math:`\sigma(b)\,\sigma(-a)\,(1 - e^{a-b})`),
    which never subtracts two probabilities close to 1.

    Gradient: :math:`\partial\ell/\partial\eta = 1 - \sigma(b) - \sigma(a)`;
    :math:`\partial\ell/\partial\theta_y = -\sigma(-b) - 1/(e^{b-a} - 1)` and
    :math:`\partial\ell/\partial\theta_{y-1} = \sigma(a) + 1/(e^{b-a} - 1)` (the missing
    boundary of the bottom and top grade drops out), summed over the examples.

    Shape: ``scores`` ``(N,)``, ``target`` ``(N,)`` integers in ``[0, K)``, ``cutpoints``
    ``(K-1,)``; output ``(N,)`` or scalar. ``wrt`` may name ``scores`` or ``cutpoints``.

    Args:
        scores: the latent score :math:`\eta \in \mathbb{R}` of each example, float.
        target: the observed grades :math:`y \in \{0, \dots, K-1\}`, integers.
        cutpoints: the thresholds :math:`\theta`, strictly increasing, float (learned with
            the model).
        reduction: ``"mean"`` (over examples), ``"sum"`` or ``"none"``.

    Notes:
        Cut-points that are not strictly increasing raise ``ValueError``: with
        :math:`\theta_{k-1} \ge \theta_k` grade :math:`k` would get a probability
        :math:`\le 0`. A model keeps them ordered by learning :math:`\theta_0` and the
        logarithms of the gaps. A larger :math:`\eta` moves mass to higher grades (the sign
        convention of McCullagh 1980 and of statsmodels' ``OrderedModel``).

    See also:
        PyTorch, Keras and scikit-learn have no such loss;
        ``lossbook.torch_losses.cumulative_link`` is the PyTorch version. statsmodels'
        ``OrderedModel(distr="logit")`` fits the same likelihood.

    References:
        :cite:`mccullagh1980regression`.

    Examples:
        >>> theta = np.array([-1.0, 1.0])
        >>> print(f"{cumulative_link(np.array([0.0, 2.0]), np.array([1, 2]), theta):.4f}")
        0.5426

    Book chapter: Ordinal regression.
    """
    scores, target, cutpoints = _prepare_cumulative(scores, target, cutpoints)
    upper, lower = _boundaries(scores, target, cutpoints)
    # -log sigma(b) - log sigma(-a) - log(1 - e^{a-b}), the last from the cut-points alone
    width = _per_grade(cutpoints, lambda gap: np.log(-np.expm1(-gap)))
    terms = _softplus(np.negative(upper, out=upper))
    terms += _softplus(lower)
    terms -= width[target]
    return reduce(terms, reduction)


def cumulative_link_grad(scores, target, cutpoints, *, reduction="mean", wrt="scores"):
    r"""Gradient of :func:`cumulative_link` with respect to ``scores``,
    :math:`1 - \sigma(b) - \sigma(a)`, or to ``cutpoints``."""
    check_wrt(wrt, ("scores", "cutpoints"))
    scores, target, cutpoints = _prepare_cumulative(scores, target, cutpoints)
    upper, lower = _boundaries(scores, target, cutpoints)
    pull_up = _sigmoid(np.negative(upper, out=upper))  # sigma(-b) = 1 - sigma(b)
    pull_down = _sigmoid(lower)                        # sigma(a)
    if wrt == "scores":  # the width term does not depend on eta: it drops out exactly
        grad = np.subtract(pull_up, pull_down, out=pull_up)
        return scale_grad(grad, reduction, len(scores))
    spread = _per_grade(cutpoints, lambda gap: 1 / np.expm1(gap))[target]  # 1/(e^{b-a}-1)
    d_upper = -pull_up - spread     # d(-log p) / d(theta_y), 0 for the top grade
    d_lower = pull_down + spread    # d(-log p) / d(theta_{y-1}), 0 for the bottom grade
    grades = cutpoints.size + 1
    grad = (np.bincount(target, weights=d_upper, minlength=grades)[:-1]
            + np.bincount(target, weights=d_lower, minlength=grades)[1:])
    return scale_grad(grad.astype(cutpoints.dtype), reduction, len(scores))


def levels(target, num_grades):
    r"""The binary labels :math:`1[y > k]`, ``(N, K-1)``, of integer grades ``(N,)``:
    grade 2 of 4 is ``[1, 1, 0]``.

    Examples:
        >>> print(levels(np.array([0, 2, 3]), 4))
        [[0. 0. 0.]
         [1. 1. 0.]
         [1. 1. 1.]]
    """
    return _levels(np.asarray(target), num_grades, np.float64)


def _levels(target, num_grades, dtype):
    return np.greater(target[:, None], np.arange(num_grades - 1)[None, :]).astype(dtype)


def _prepare_coral(logits, target, weight):
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2 or logits.shape[1] == 0:
        raise ValueError("logits must have shape (N, K-1), one column per boundary "
                         f"between K >= 2 grades, got {logits.shape}")
    check_nonempty(logits, "logits")
    target = _grades(target, len(logits), logits.shape[1] + 1)
    if weight is not None:
        weight = np.asarray(weight, dtype=logits.dtype)
        if weight.shape != (logits.shape[1],):
            raise ValueError("weight must have one entry per boundary, expected shape "
                             f"({logits.shape[1]},), got {weight.shape}")
        check_nonnegative(weight, "weight")
    above = _levels(target, logits.shape[1] + 1, logits.dtype)
    return logits, above, weight


def coral(logits, target, *, weight=None, reduction="mean"):
    r"""CORAL: one binary cross-entropy per boundary between ordered grades, summed.

    With the :math:`K - 1` logits :math:`z_{ik}` of example :math:`i` and its levels
    :math:`t_{ik} = 1[y_i > k]`,

    .. math::

        \ell_i = -\sum_{k=0}^{K-2} \lambda_k \bigl[t_{ik} \log\sigma(z_{ik})
                 + (1 - t_{ik}) \log\sigma(-z_{ik})\bigr].

    The predicted grade is the number of boundaries passed,
    :math:`\hat y = \sum_k 1[z_k > 0]`.

    Gradient: :math:`\lambda_k\,(\sigma(z_{ik}) - t_{ik})`.

    Shape: ``logits`` ``(N, K-1)``, ``target`` ``(N,)`` integers in ``[0, K)``,
    ``weight`` ``(K-1,)``; output ``(N,)`` or scalar.

    Args:
        logits: the scores :math:`z \in \mathbb{R}` of the K - 1 boundaries, float.
        target: the grades :math:`y \in \{0, \dots, K-1\}`, integers.
        weight: the importance :math:`\lambda_k \ge 0` of each boundary, or None for 1.
        reduction: ``"mean"`` (over examples; each term is already a sum over the
            boundaries), ``"sum"`` or ``"none"``.

    Notes:
        The loss is that of K - 1 independent binary classifiers. What CORAL adds is the
        output layer: one weight vector shared by all boundaries and one bias each,
        :math:`z_k = w^\top h + b_k`. Then the probabilities :math:`\sigma(z_k)` decrease
        with :math:`k` whenever the biases do, and the paper shows that the biases
        minimising this loss do; with independent heads nothing keeps
        :math:`P(y > k)` from rising with :math:`k`. Computed with log-sigmoids, so it is
        finite for logits of any size.

    See also:
        ``torch.nn.functional.binary_cross_entropy_with_logits(logits, levels,
        weight=weight, reduction="none").sum(1)`` and its mean over examples (PyTorch's own
        ``"mean"`` would divide by N (K - 1) as well). The ``coral-pytorch`` package of the
        authors has it as ``coral_loss``. Keras and scikit-learn have no such loss.

    References:
        :cite:`cao2020rank`.

    Examples:
        >>> print(f"{coral(np.array([[2.0, -1.0, -3.0]]), np.array([1])):.4f}")
        0.4888

    Book chapter: Ordinal regression.
    """
    logits, above, weight = _prepare_coral(logits, target, weight)
    # t (-log sigma(z)) + (1 - t) (-log sigma(-z)), one exp and one log for both
    minus_log_p, minus_log_not_p = _softplus_pair(logits)
    minus_log_p *= above
    above -= 1  # now t - 1, a fresh array: -(1 - t)
    minus_log_not_p *= above
    terms = np.subtract(minus_log_p, minus_log_not_p, out=minus_log_p)
    if weight is not None:
        terms *= weight
    return reduce(_class_sum(terms), reduction)


def coral_grad(logits, target, *, weight=None, reduction="mean", wrt="logits"):
    r"""Gradient of :func:`coral` with respect to ``logits``:
    :math:`\lambda_k\,(\sigma(z_k) - 1[y > k])`."""
    check_wrt(wrt, ("logits",))
    logits, above, weight = _prepare_coral(logits, target, weight)
    grad = _sigmoid(logits)
    grad -= above
    if weight is not None:
        grad *= weight
    return scale_grad(grad, reduction, len(logits))
