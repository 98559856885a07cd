r"""Binary and multi-label losses: one yes/no decision per element.

Functions named ``bce*`` take targets in :math:`[0, 1]` (hard labels 0/1 or soft
labels). Those that take probabilities say so in their name's absence of ``logits``;
``bce_with_logits`` and ``sigmoid_focal`` take raw scores (logits) and are the forms to
train with. ``hinge`` and ``squared_hinge`` take labels in :math:`\{-1, +1\}`.

A multi-label problem is the same losses applied to an ``(N, L)`` array: one independent
sigmoid and one binary loss per label, averaged over all ``N * L`` elements.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .checks import (
    as_float_array,
    as_label_array,
    check_in_unit_interval,
    check_nonempty,
    check_nonnegative,
    check_same_shape,
    check_wrt,
)
from .reduction import grad_scale, reduce

__all__ = [
    "bce",
    "bce_grad",
    "weighted_bce",
    "weighted_bce_grad",
    "bce_with_logits",
    "bce_with_logits_grad",
    "sigmoid_focal",
    "sigmoid_focal_grad",
    "hinge",
    "hinge_grad",
    "squared_hinge",
    "squared_hinge_grad",
]

#: PyTorch's ``BCELoss`` clamps each log term at -100 so that p = 0 or 1 gives a finite loss.
LOG_CLAMP = -100.0
#: PyTorch's ``BCELoss`` backward divides by ``max(p (1 - p), 1e-12)``.
GRAD_EPSILON = 1e-12


def _prepare_labels(pred, target, pred_name):
    """A float prediction and a label target in [0, 1] of the same shape."""
    pred = as_float_array(pred, pred_name)
    target = as_label_array(target, "target", pred.dtype)
    check_same_shape(pred, target, pred_name, "target")
    check_nonempty(pred, pred_name)
    check_in_unit_interval(target, "target")
    return pred, target


def _prepare_probs(probs, target):
    probs, target = _prepare_labels(probs, target, "probs")
    check_in_unit_interval(probs, "probs")
    return probs, target


def _clamped_log(p):
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), LOG_CLAMP)


def bce(probs, target, *, reduction="mean"):
    r"""Binary cross-entropy on probabilities.

    .. math:: \ell_i = -\left[y_i \log \hat p_i + (1 - y_i) \log(1 - \hat p_i)\right]

    Gradient: :math:`\dfrac{\hat p_i - y_i}{\hat p_i (1 - \hat p_i)}`.

    Shape: ``probs``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        probs: predicted probabilities :math:`\hat p \in [0, 1]`, float.
        target: labels :math:`y \in [0, 1]` (0/1 or soft), same shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        At :math:`\hat p = 0` or :math:`1`, :math:`\log` gives :math:`-\infty` and the naive
        formula gives ``inf`` or ``nan``. Like PyTorch, lossbook clamps each log term at
        :math:`-100` (``LOG_CLAMP``), so the worst possible term is 100, and divides the
        gradient by :math:`\max(\hat p(1 - \hat p), 10^{-12})`. Prefer
        :func:`bce_with_logits`, which needs no clamp. NaN propagates.

    See also:
        ``torch.nn.functional.binary_cross_entropy(probs, target, reduction=reduction)``.
        Keras ``keras.losses.BinaryCrossentropy()(target, probs)`` and scikit-learn
        ``sklearn.metrics.log_loss(target, probs)``: target first; they clip probabilities
        at 1e-7 and at machine epsilon where this loss clamps the log at -100, so they
        differ at exactly 0 and 1. Chapter: One loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.2.

    Examples:
        >>> print(f"{bce([0.9, 0.1], [1.0, 0.0]):.4f}")
        0.1054

    Book chapter: Binary cross-entropy.
    """
    probs, target = _prepare_probs(probs, target)
    terms = -(target * _clamped_log(probs) + (1 - target) * _clamped_log(1 - probs))
    return reduce(terms, reduction)


def bce_grad(probs, target, *, reduction="mean", wrt="probs"):
    r"""Gradient of :func:`bce` with respect to ``probs``, as PyTorch computes it."""
    check_wrt(wrt, ("probs",))
    probs, target = _prepare_probs(probs, target)
    grad = (probs - target) / np.maximum(probs * (1 - probs), GRAD_EPSILON)
    return grad * grad_scale(reduction, probs.size, probs.dtype)


def weighted_bce(probs, target, *, w1=1.0, w0=1.0, reduction="mean"):
    r"""Binary cross-entropy with one weight for positives and one for negatives.

    .. math:: \ell_i = -\left[w_1\, y_i \log \hat p_i + w_0\,(1 - y_i) \log(1 - \hat p_i)\right]

    Gradient: :math:`\dfrac{(w_1 y_i + w_0 (1-y_i))\,\hat p_i - w_1 y_i}{\hat p_i(1-\hat p_i)}`
    (for hard labels it is the :func:`bce` gradient times the label's weight).

    Shape: ``probs``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        probs: predicted probabilities in [0, 1].
        target: labels in [0, 1], same shape.
        w1: weight of the positive term, >= 0.
        w0: weight of the negative term, >= 0.
        reduction: ``"mean"`` (plain mean over elements, not divided by the weights),
            ``"sum"`` or ``"none"``.

    Notes:
        Same log clamp as :func:`bce`. For hard labels this equals PyTorch's per-element
        ``weight = w1 * target + w0 * (1 - target)``. The logit-space counterpart is
        :func:`bce_with_logits` with ``pos_weight = w1 / w0``, times ``w0``.

    See also:
        ``torch.nn.functional.binary_cross_entropy(probs, target,
        weight=w1 * target + w0 * (1 - target), reduction=reduction)``.
        Keras ``sample_weight`` weights whole examples (add a trailing axis to weight
        elements); scikit-learn's ``log_loss(sample_weight=...)`` divides by the sum of the
        weights, this loss by the number of elements. Chapter: One loss, three libraries.

    References:
        :cite:`king2001logistic` (weighting rare events).

    Examples:
        >>> print(f"{weighted_bce([0.9, 0.1], [1.0, 0.0], w1=5.0, w0=1.0):.4f}")
        0.3161

    Book chapter: Weighted BCE and focal loss.
    """
    _check_weights(w1, w0)
    probs, target = _prepare_probs(probs, target)
    terms = -(w1 * target * _clamped_log(probs) + w0 * (1 - target) * _clamped_log(1 - probs))
    return reduce(terms, reduction)


def weighted_bce_grad(probs, target, *, w1=1.0, w0=1.0, reduction="mean", wrt="probs"):
    r"""Gradient of :func:`weighted_bce` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    _check_weights(w1, w0)
    probs, target = _prepare_probs(probs, target)
    numerator = (w1 * target + w0 * (1 - target)) * probs - w1 * target
    grad = numerator / np.maximum(probs * (1 - probs), GRAD_EPSILON)
    return grad * grad_scale(reduction, probs.size, probs.dtype)


def _check_weights(w1, w0):
    check_nonnegative(w1, "w1")
    check_nonnegative(w0, "w0")


def bce_with_logits(logits, target, *, pos_weight=1.0, reduction="mean"):
    r"""Binary cross-entropy on logits, in the numerically stable form.

    With :math:`\hat p = \sigma(z)` and :math:`\log(1 - \sigma(z)) = \log\sigma(-z)`:

    .. math:: \ell_i = -\left[w_+\, y_i \log\sigma(z_i) + (1 - y_i)\log\sigma(-z_i)\right]

    where :math:`w_+` is ``pos_weight`` (1 gives plain BCE).

    Gradient: :math:`\sigma(z_i)\,(w_+ y_i + 1 - y_i) - w_+ y_i`, which for
    :math:`w_+ = 1` is the famous :math:`\sigma(z_i) - y_i`.

    Shape: ``logits``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.
    ``pos_weight`` is a scalar or broadcasts against the last axis (one weight per label).

    Args:
        logits: raw scores :math:`z \in \mathbb{R}`, float.
        target: labels in [0, 1], same shape.
        pos_weight: weight of the positive term, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        :math:`\log\sigma(z)` is computed as ``-logaddexp(0, -z)`` (see
        :func:`lossbook.activations.log_sigmoid`): finite for logits of any size, where
        ``log(sigmoid(z))`` is ``-inf`` for :math:`z < -745` in float64. No clamp is needed,
        so for large logits this and :func:`bce` differ: here a wrong logit of -1000 costs
        1000, there at most 100.

    See also:
        ``torch.nn.functional.binary_cross_entropy_with_logits(logits, target,
        pos_weight=pos_weight, reduction=reduction)``.
        Keras ``keras.losses.BinaryCrossentropy(from_logits=True)(target, logits)``; Keras
        has no ``pos_weight`` (a per-element ``sample_weight`` on a trailing axis does it),
        and scikit-learn's ``log_loss`` needs probabilities. Chapter: One loss, three
        libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.2.

    Examples:
        >>> print(f"{bce_with_logits([2.0, -2.0], [1.0, 0.0]):.4f}")
        0.1269

    Book chapter: Binary cross-entropy.
    """
    logits, target, pos_weight = _prepare_logits(logits, target, pos_weight)
    minus_log_p, minus_log_not_p = _softplus_pair(logits)
    return reduce(pos_weight * target * minus_log_p + (1 - target) * minus_log_not_p, reduction)


def bce_with_logits_grad(logits, target, *, pos_weight=1.0, reduction="mean", wrt="logits"):
    r"""Gradient of :func:`bce_with_logits` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    logits, target, pos_weight = _prepare_logits(logits, target, pos_weight)
    grad = sigmoid(logits) * (pos_weight * target + 1 - target) - pos_weight * target
    return grad * grad_scale(reduction, logits.size, logits.dtype)


def _softplus_pair(z):
    r""":math:`-\log\sigma(z)` and :math:`-\log\sigma(-z)`, sharing one exp and one log.

    Both are softplus, :math:`\log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})`, at
    :math:`x = -z` and :math:`x = z`; the second term is the same for both.
    """
    shared = np.log1p(np.exp(-np.abs(z)))
    return np.maximum(-z, 0) + shared, np.maximum(z, 0) + shared


def _prepare_logits(logits, target, pos_weight):
    logits, target = _prepare_labels(logits, target, "logits")
    pos_weight = np.asarray(pos_weight, dtype=logits.dtype)
    check_nonnegative(pos_weight, "pos_weight")
    return logits, target, pos_weight


def sigmoid_focal(logits, target, *, alpha=0.25, gamma=2.0, reduction="mean"):
    r"""Sigmoid focal loss: BCE scaled down on examples the model already gets right.

    With :math:`p = \sigma(z)`, :math:`p_t = p\,y + (1 - p)(1 - y)` (the probability
    given to the true label) and :math:`\alpha_t = \alpha y + (1 - \alpha)(1 - y)`:

    .. math:: \ell_i = -\alpha_t\,(1 - p_t)^\gamma \log p_t

    Gradient: with :math:`c = \mathrm{BCE}(z, y)` and
    :math:`\partial p_t / \partial z = p(1 - p)(2y - 1)`,

    .. math:: \frac{\partial \ell}{\partial z} = \alpha_t \left[(1 - p_t)^\gamma (p - y)
       - \gamma\, c\,(1 - p_t)^{\gamma - 1}\, p(1-p)(2y - 1)\right]

    Shape: ``logits``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        logits: raw scores, float.
        target: labels in [0, 1], same shape.
        alpha: weight of the positive class in [0, 1]; a negative value turns the
            weighting off (:math:`\alpha_t = 1`), as in torchvision.
        gamma: focusing parameter, >= 0; ``gamma=0`` and ``alpha<0`` give
            :func:`bce_with_logits`.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Notes:
        :math:`\log p_t` is taken from the stable BCE on logits, and :math:`1 - p_t` is
        computed as :math:`y\,\sigma(-z) + (1-y)\,\sigma(z)`, never as ``1 - p``, so an easy
        example's tiny factor is not rounded to zero. The default ``alpha=0.25`` weights
        the *positive* class down; :cite:t:`lin2017focal` found that best together
        with ``gamma=2``, because the focusing term already down-weights the many easy
        negatives.

    See also:
        ``torchvision.ops.sigmoid_focal_loss(logits, target, alpha=alpha, gamma=gamma,
        reduction=reduction)`` (torchvision is not a dependency; the test suite writes
        the same formula in torch).
        Keras ``keras.losses.BinaryFocalCrossentropy(from_logits=True)`` applies alpha only
        with ``apply_class_balancing=True``; scikit-learn: none. Chapter: One loss, three
        libraries.

    References:
        :cite:`lin2017focal`.

    Examples:
        >>> print(f"{sigmoid_focal([2.0, -2.0], [1.0, 1.0]):.4f}")
        0.2065

    Book chapter: Weighted BCE and focal loss.
    """
    logits, target = _prepare_labels(logits, target, "logits")
    check_nonnegative(gamma, "gamma")
    _, _, miss, cross_entropy, alpha_t = _focal_parts(logits, target, alpha)
    return reduce(alpha_t * miss**gamma * cross_entropy, reduction)


def sigmoid_focal_grad(logits, target, *, alpha=0.25, gamma=2.0, reduction="mean", wrt="logits"):
    r"""Gradient of :func:`sigmoid_focal` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    logits, target = _prepare_labels(logits, target, "logits")
    check_nonnegative(gamma, "gamma")
    p, not_p, miss, cross_entropy, alpha_t = _focal_parts(logits, target, alpha)
    p_times_q = p * not_p  # p (1 - p), without cancellation
    if gamma == 0:
        focus_term = np.zeros_like(miss)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            focus_term = gamma * cross_entropy * miss ** (gamma - 1) * p_times_q * (2 * target - 1)
        focus_term = np.where(miss > 0, focus_term, 0)
    grad = alpha_t * (miss**gamma * (p - target) - focus_term)
    return grad * grad_scale(reduction, logits.size, logits.dtype)


def _focal_parts(logits, target, alpha):
    """p, 1 - p, 1 - p_t, the BCE term and alpha_t, all computed stably."""
    e = np.exp(-np.abs(logits))  # sigma(z) and sigma(-z) from one exp, neither as 1 - the other
    p = np.where(logits >= 0, 1, e) / (1 + e)
    not_p = np.where(logits >= 0, e, 1) / (1 + e)
    miss = target * not_p + (1 - target) * p  # 1 - p_t
    minus_log_p, minus_log_not_p = _softplus_pair(logits)
    cross_entropy = target * minus_log_p + (1 - target) * minus_log_not_p
    if alpha >= 0:
        if alpha > 1:
            raise ValueError(f"alpha must be in [0, 1] (or negative to disable), got {alpha!r}")
        alpha_t = alpha * target + (1 - alpha) * (1 - target)
    else:
        alpha_t = np.ones_like(target)
    return p, not_p, miss, cross_entropy, alpha_t


def _prepare_signed(scores, target, margin):
    scores = as_float_array(scores, "scores")
    target = as_label_array(target, "target", scores.dtype)
    check_same_shape(scores, target, "scores", "target")
    check_nonempty(scores, "scores")
    bad = ~np.isin(target, (-1, 1)) & ~np.isnan(target)
    if np.any(bad):
        raise ValueError(f"target must hold labels in {{-1, +1}}, got {float(target[bad][0])!r}")
    check_nonnegative(margin, "margin")
    return scores, target


def hinge(scores, target, *, margin=1.0, reduction="mean"):
    r"""Hinge loss for labels in :math:`\{-1, +1\}`.

    .. math:: \ell_i = \max(0,\; m - y_i \hat y_i)

    with margin :math:`m = 1` in the guide's formula. A correct score beyond the margin
    costs nothing and gets no gradient.

    Gradient: :math:`-y_i` where :math:`y_i \hat y_i < m`, else 0 (also 0 exactly at the
    margin).

    Shape: ``scores``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        scores: raw scores :math:`\hat y \in \mathbb{R}` (no activation).
        target: labels in {-1, +1}, same shape (0/1 labels raise ``ValueError``).
        margin: the margin :math:`m`, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        PyTorch has no binary hinge loss for scores; written from the definition:
        ``torch.clamp(margin - target * scores, min=0)``. (``HingeEmbeddingLoss`` is a
        different loss, on distances.)
        Keras ``margin * keras.losses.Hinge()(target, scores / margin)`` and scikit-learn
        ``sklearn.metrics.hinge_loss(target, scores)`` (margin 1). Chapter: One loss, three
        libraries.

    References:
        :cite:`cortes1995support`.

    Examples:
        >>> print(f"{hinge([2.0, 0.5, -1.0], [1.0, 1.0, 1.0]):.4f}")
        0.8333

    Book chapter: Hinge loss.
    """
    scores, target = _prepare_signed(scores, target, margin)
    return reduce(np.maximum(0, margin - target * scores), reduction)


def hinge_grad(scores, target, *, margin=1.0, reduction="mean", wrt="scores"):
    r"""Gradient of :func:`hinge` with respect to ``scores``."""
    check_wrt(wrt, ("scores",))
    scores, target = _prepare_signed(scores, target, margin)
    active = margin - target * scores > 0
    grad = np.where(active, -target, 0 * scores)  # 0 * scores keeps NaN
    return grad * grad_scale(reduction, scores.size, scores.dtype)


def squared_hinge(scores, target, *, margin=1.0, reduction="mean"):
    r"""Squared hinge loss: :math:`\ell_i = \max(0,\; m - y_i \hat y_i)^2`, labels in {-1, +1}.

    Gradient: :math:`-2 y_i \max(0, m - y_i \hat y_i)`, continuous at the margin.

    Shape: ``scores``, ``target``: ``(*)``, equal; output ``(*)`` or scalar.

    Args:
        scores: raw scores, float.
        target: labels in {-1, +1}, same shape.
        margin: the margin :math:`m`, >= 0.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    See also:
        ``torch.clamp(margin - target * scores, min=0) ** 2`` (no PyTorch function).
        Keras ``margin ** 2 * keras.losses.SquaredHinge()(target, scores / margin)``;
        scikit-learn: none. Chapter: One loss, three libraries.

    References:
        :cite:`fan2008liblinear` (the L2-loss SVM).

    Examples:
        >>> print(f"{squared_hinge([2.0, 0.5, -1.0], [1.0, 1.0, 1.0]):.4f}")
        1.4167

    Book chapter: Hinge loss.
    """
    scores, target = _prepare_signed(scores, target, margin)
    return reduce(np.maximum(0, margin - target * scores) ** 2, reduction)


def squared_hinge_grad(scores, target, *, margin=1.0, reduction="mean", wrt="scores"):
    r"""Gradient of :func:`squared_hinge` with respect to ``scores``."""
    check_wrt(wrt, ("scores",))
    scores, target = _prepare_signed(scores, target, margin)
    grad = -2 * target * np.maximum(0, margin - target * scores)
    return grad * grad_scale(reduction, scores.size, scores.dtype)
