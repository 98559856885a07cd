r"""Multi-class losses: one of :math:`C` classes per example.

Shapes follow PyTorch: scores are ``(N, C)``, or ``(N, C, d1, ..., dK)`` for one
prediction per position (pixels, tokens), or ``(C,)`` for a single example; the class
axis is axis 1 (axis 0 for a single example). Class-index targets have the shape of the
scores without the class axis.
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax, softmax
from .checks import (
    as_float_array,
    as_label_array,
    check_in_unit_interval,
    check_index_range,
    check_nonempty,
    check_nonnegative,
    check_same_shape,
    check_wrt,
)
from .reduction import check_reduction, grad_scale, reduce

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "categorical_cross_entropy",
    "categorical_cross_entropy_grad",
    "nll",
    "nll_grad",
    "multi_margin",
    "multi_margin_grad",
]

LOG_CLAMP = -100.0


def _class_last(scores, name):
    """``scores`` with its class axis moved last, and that axis' original position."""
    scores = as_float_array(scores, name)
    check_nonempty(scores, name)
    axis = 0 if scores.ndim == 1 else 1
    return np.moveaxis(scores, axis, -1), axis


def _class_weight(weight, num_classes, dtype):
    if weight is None:
        return np.ones(num_classes, dtype=dtype)
    weight = as_float_array(weight, "weight").astype(dtype, copy=False)
    if weight.shape != (num_classes,):
        raise ValueError(
            f"weight must have one entry per class, expected shape ({num_classes},), "
            f"got {weight.shape}"
        )
    return weight


def _index_target(target, scores_last, ignore_index):
    """Integer targets checked against class-last scores; returns (safe index, mask)."""
    num_classes = scores_last.shape[-1]
    expected = scores_last.shape[:-1]
    if target.shape != expected:
        raise ValueError(
            f"target must hold one class index per example, expected shape {expected}, "
            f"got {target.shape}"
        )
    check_index_range(target, "target", num_classes, ignore=ignore_index)
    valid = target != ignore_index
    return np.where(valid, target, 0), valid


def _pick(values_last, index):
    """``values_last[..., index]`` elementwise."""
    return np.take_along_axis(values_last, index[..., None], axis=-1)[..., 0]


def _one_hot(index, num_classes, dtype):
    return (index[..., None] == np.arange(num_classes)).astype(dtype)


def _soft_target(target, scores_last, axis, label_smoothing):
    target = np.moveaxis(target, axis, -1)
    check_same_shape(scores_last, target, "logits", "target")
    check_in_unit_interval(target, "target")
    num_classes = scores_last.shape[-1]
    return (1 - label_smoothing) * target + label_smoothing / num_classes


def _prepare_ce(logits, target, weight, label_smoothing, reduction):
    check_reduction(reduction)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing!r}")
    z, axis = _class_last(logits, "logits")
    weight = _class_weight(weight, z.shape[-1], z.dtype)
    target = np.asarray(target)
    if not (np.issubdtype(target.dtype, np.integer) or np.issubdtype(target.dtype, np.floating)):
        raise TypeError(
            "target must be integer class indices or float class probabilities, "
            f"got dtype {target.dtype}"
        )
    return z, axis, weight, target


def cross_entropy(
    logits, target, *, weight=None, ignore_index=-100, label_smoothing=0.0, reduction="mean"
):
    r"""Cross-entropy of softmax probabilities, computed from logits.

    For a class-index target :math:`y_i`, with the log-softmax
    :math:`\log \hat p_{ic} = z_{ic} - \log\sum_k e^{z_{ik}}`:

    .. math:: \ell_i = -w_{y_i} \log \hat p_{i y_i}

    For a probability target :math:`t_{ic}` (one-hot or soft):

    .. math:: \ell_i = -\sum_{c=1}^{C} w_c\, t_{ic} \log \hat p_{ic}

    With ``label_smoothing`` :math:`\varepsilon`, the target becomes
    :math:`(1 - \varepsilon)\,t + \varepsilon / C` (for index targets: the one-hot vector).

    Gradient with respect to the logits (unweighted, unsmoothed):
    :math:`\hat p_i - t_i`, softmax minus target. In general, with :math:`t'` the
    smoothed target, :math:`\hat p_i\,(w \cdot t'_i) - w \odot t'_i`.

    Shape: ``logits`` ``(N, C)``, ``(N, C, d1, ..., dK)`` or ``(C,)``; ``target``
    either integer indices of shape ``(N)``, ``(N, d1, ..., dK)`` or ``()``, or floats of
    the shape of ``logits``. Output: the shape of the index target for
    ``reduction="none"``, else a scalar.

    Args:
        logits: raw scores, float.
        target: class indices in ``[0, C)`` (int), or class probabilities (float).
        weight: optional ``(C,)`` weight per class.
        ignore_index: index targets equal to it contribute nothing (index targets only).
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``. With index targets ``"mean"``
            divides by the summed weights of the non-ignored targets (the number of
            non-ignored targets when unweighted); with probability targets by the number
            of examples, weighted or not. Both are PyTorch's rules.

    Notes:
        The log-softmax subtracts the row maximum before exponentiating, so logits of
        any size give a finite loss (softmax followed by ``log`` does not). When every
        target is ignored, ``"mean"`` is 0/0 = NaN, as in PyTorch.

    See also:
        ``torch.nn.functional.cross_entropy(logits, target, weight=weight,
        ignore_index=ignore_index, label_smoothing=label_smoothing, reduction=reduction)``;
        it is :func:`nll` of :func:`lossbook.activations.log_softmax`.
        Keras ``keras.losses.SparseCategoricalCrossentropy(from_logits=True)(target,
        logits)`` (without ``from_logits=True`` it takes probabilities); scikit-learn
        ``log_loss(target, softmax(logits))``. With class weights, Keras's ``sample_weight``
        divides by N, this loss and scikit-learn by the sum of the weights. Chapter: One
        loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.3; label smoothing :cite:`szegedy2016rethinking`.

    Examples:
        >>> print(f"{cross_entropy([[2.0, 1.0, 0.1]], [0]):.4f}")
        0.4170

    Book chapter: Categorical cross-entropy.
    """
    z, axis, weight, target = _prepare_ce(logits, target, weight, label_smoothing, reduction)
    log_p = log_softmax(z)
    num_classes = z.shape[-1]
    if np.issubdtype(target.dtype, np.floating):
        soft = _soft_target(target.astype(z.dtype, copy=False), z, axis, label_smoothing)
        return reduce(-(log_p * weight * soft).sum(-1), reduction)
    index, valid = _index_target(target, z, ignore_index)
    target_weight = np.where(valid, weight[index], 0)
    terms = -target_weight * _pick(log_p, index)
    if label_smoothing > 0:
        smooth = np.where(valid, -(log_p * weight).sum(-1), 0)
        terms = (1 - label_smoothing) * terms + label_smoothing / num_classes * smooth
    return reduce(terms, reduction, divisor=target_weight.sum())


def cross_entropy_grad(
    logits, target, *, weight=None, ignore_index=-100, label_smoothing=0.0, reduction="mean",
    wrt="logits"):
    r"""Gradient of :func:`cross_entropy` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    z, axis, weight, target = _prepare_ce(logits, target, weight, label_smoothing, reduction)
    p = softmax(z)
    num_classes = z.shape[-1]
    if np.issubdtype(target.dtype, np.floating):
        soft = _soft_target(target.astype(z.dtype, copy=False), z, axis, label_smoothing)
        grad = p * (soft * weight).sum(-1, keepdims=True) - weight * soft
        count = grad.size // num_classes
    else:
        index, valid = _index_target(target, z, ignore_index)
        target_weight = np.where(valid, weight[index], 0)
        grad = target_weight[..., None] * (p - _one_hot(index, num_classes, z.dtype))
        if label_smoothing > 0:
            smooth = valid[..., None] * (p * weight.sum() - weight)
            grad = (1 - label_smoothing) * grad + label_smoothing / num_classes * smooth
        count = target_weight.sum()
    grad = grad * grad_scale(reduction, count, z.dtype)
    return np.moveaxis(grad, -1, axis)


def nll(log_probs, target, *, weight=None, ignore_index=-100, reduction="mean"):
    r"""Negative log-likelihood of class indices, given log-probabilities.

    .. math:: \ell_i = -w_{y_i} \log \hat p_{i y_i}

    It only *picks* an entry: the log-probabilities must come from a log-softmax (or
    another normalised model). :func:`cross_entropy` is ``nll(log_softmax(logits))``.

    Gradient: :math:`-w_{y_i}` at the target class, 0 elsewhere.

    Shape: as :func:`cross_entropy` with index targets.

    Args:
        log_probs: log-probabilities, float.
        target: class indices in ``[0, C)``, int.
        weight: optional ``(C,)`` weight per class.
        ignore_index: targets equal to it contribute nothing.
        reduction: ``"mean"`` (divides by the summed weights of the non-ignored
            targets), ``"sum"`` or ``"none"``.

    See also:
        ``torch.nn.functional.nll_loss(log_probs, target, weight=weight,
        ignore_index=ignore_index, reduction=reduction)``.
        Keras and scikit-learn have no loss on log-probabilities; their cross-entropies take
        logits or probabilities. Chapter: One loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §5.5.

    Examples:
        >>> import numpy as np
        >>> print(f"{nll(np.log([[0.7, 0.2, 0.1]]), [0]):.4f}")
        0.3567

    Book chapter: Negative log-likelihood and sequences.
    """
    z, axis, weight, index, valid = _prepare_nll(log_probs, target, weight, ignore_index, reduction)
    target_weight = np.where(valid, weight[index], 0)
    return reduce(-target_weight * _pick(z, index), reduction, divisor=target_weight.sum())


def nll_grad(log_probs, target, *, weight=None, ignore_index=-100, reduction="mean",
             wrt="log_probs"):
    r"""Gradient of :func:`nll` with respect to ``log_probs``."""
    check_wrt(wrt, ("log_probs",))
    z, axis, weight, index, valid = _prepare_nll(log_probs, target, weight, ignore_index, reduction)
    target_weight = np.where(valid, weight[index], 0)
    grad = -target_weight[..., None] * _one_hot(index, z.shape[-1], z.dtype)
    grad = grad * grad_scale(reduction, target_weight.sum(), z.dtype)
    return np.moveaxis(grad, -1, axis)


def _prepare_nll(log_probs, target, weight, ignore_index, reduction):
    check_reduction(reduction)
    z, axis = _class_last(log_probs, "log_probs")
    weight = _class_weight(weight, z.shape[-1], z.dtype)
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    index, valid = _index_target(target, z, ignore_index)
    return z, axis, weight, index, valid


def categorical_cross_entropy(probs, target, *, reduction="mean"):
    r"""Categorical cross-entropy on probabilities: the guide's formula.

    .. math:: \ell_i = -\sum_{c=1}^{C} y_{ic} \log \hat y_{ic}

    Gradient: :math:`-y_{ic} / \hat y_{ic}` (0 where the log is clamped).

    Shape: ``probs`` and ``target`` ``(N, C)`` (or ``(N, C, d1, ...)``, ``(C,)``), equal;
    output ``(N)`` (the shape without the class axis) or a scalar.

    Args:
        probs: predicted probabilities in [0, 1], e.g. a softmax output.
        target: one-hot or soft target probabilities in [0, 1], same shape.
        reduction: ``"mean"`` (over examples), ``"sum"`` or ``"none"``.

    Notes:
        Each :math:`\log \hat y` is clamped at :math:`-100`, as in PyTorch's BCE, so a
        probability of exactly 0 on the true class costs 100, not ``inf``. Rows need not
        sum to 1 and are not renormalised (Keras renormalises; see the chapter on
        libraries). To train, prefer :func:`cross_entropy` on logits.

    See also:
        ``torch.nn.functional.nll_loss(torch.log(probs).clamp(min=-100), labels)`` for
        one-hot targets; ``-(target * torch.log(probs).clamp(min=-100)).sum(1)`` in general.
        Keras ``keras.losses.CategoricalCrossentropy()(target, probs)`` renormalises each
        row to sum 1 first; scikit-learn ``log_loss(target.argmax(1), probs)`` does not, and
        warns. Chapter: One loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.3.

    Examples:
        >>> print(f"{categorical_cross_entropy([[0.7, 0.2, 0.1]], [[1.0, 0.0, 0.0]]):.4f}")
        0.3567

    Book chapter: Categorical cross-entropy.
    """
    p, t, _ = _prepare_cce(probs, target, reduction)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), LOG_CLAMP)
    return reduce(-(t * log_p).sum(-1), reduction)


def categorical_cross_entropy_grad(probs, target, *, reduction="mean", wrt="probs"):
    r"""Gradient of :func:`categorical_cross_entropy` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    p, t, axis = _prepare_cce(probs, target, reduction)
    with np.errstate(divide="ignore", invalid="ignore"):
        unclamped = np.log(p) > LOG_CLAMP
        grad = np.where(unclamped, -t / np.where(unclamped, p, 1), 0 * p)
    grad = grad * grad_scale(reduction, grad.size // grad.shape[-1], p.dtype)
    return np.moveaxis(grad, -1, axis)


def _prepare_cce(probs, target, reduction):
    check_reduction(reduction)
    probs = as_float_array(probs, "probs")
    target = as_label_array(target, "target", probs.dtype)
    check_same_shape(probs, target, "probs", "target")
    check_nonempty(probs, "probs")
    check_in_unit_interval(probs, "probs")
    check_in_unit_interval(target, "target")
    axis = 0 if probs.ndim == 1 else 1
    return np.moveaxis(probs, axis, -1), np.moveaxis(target, axis, -1), axis


def multi_margin(scores, target, *, p=1, margin=1.0, weight=None, reduction="mean"):
    r"""Multi-class hinge loss, summed over the wrong classes (Weston–Watkins form).

    .. math:: \ell_i = \frac{w_{y_i}}{C} \sum_{j \ne y_i} \max(0,\; m - s_{i y_i} + s_{ij})^p

    Gradient: for each violating wrong class :math:`j` (:math:`a_{ij} = m - s_{iy_i} +
    s_{ij} > 0`), :math:`+\frac{w_{y_i}}{C} p\, a_{ij}^{p-1}` on :math:`s_{ij}` and the
    same amount subtracted from :math:`s_{i y_i}`.

    Shape: ``scores`` ``(N, C)`` or ``(C,)``; ``target`` ``(N)`` or ``()``, int; output
    ``(N)`` or a scalar.

    Args:
        scores: raw class scores, float.
        target: class indices in ``[0, C)``.
        p: 1 (hinge) or 2 (squared hinge).
        margin: the margin :math:`m`, >= 0.
        weight: optional ``(C,)`` weight per class, applied by the target class.
        reduction: ``"mean"`` (over examples, unweighted), ``"sum"`` or ``"none"``.

    Notes:
        The division by :math:`C` is PyTorch's. The Crammer–Singer form used by some
        libraries takes the *largest* violation instead of the sum.

    See also:
        ``torch.nn.functional.multi_margin_loss(scores, target, p=p, margin=margin,
        weight=weight, reduction=reduction)``.
        Keras ``CategoricalHinge`` and scikit-learn ``hinge_loss`` (multi-class) are the
        Crammer-Singer loss, on the largest wrong score only: a different loss. Chapter: One
        loss, three libraries.

    References:
        :cite:`weston1999support`.

    Examples:
        >>> print(f"{multi_margin([[2.0, 1.5, -1.0]], [0]):.4f}")
        0.1667

    Book chapter: Hinge loss.
    """
    s, index, w_target, scale = _prepare_margin(scores, target, p, margin, weight, reduction)
    violation = _violations(s, index, margin)
    return reduce(scale * w_target * (violation**p).sum(-1), reduction)


def multi_margin_grad(scores, target, *, p=1, margin=1.0, weight=None, reduction="mean",
                      wrt="scores"):
    r"""Gradient of :func:`multi_margin` with respect to ``scores``."""
    check_wrt(wrt, ("scores",))
    s, index, w_target, scale = _prepare_margin(scores, target, p, margin, weight, reduction)
    violation = _violations(s, index, margin)
    active = violation > 0
    slope = np.where(active, p * violation ** (p - 1), 0) if p > 1 else active.astype(s.dtype)
    grad = scale * w_target[..., None] * slope
    grad = grad - _one_hot(index, s.shape[-1], s.dtype) * grad.sum(-1, keepdims=True)
    grad = grad * grad_scale(reduction, index.size, s.dtype)
    return grad


def _violations(s, index, margin):
    """max(0, margin - s_y + s_j) for every wrong class j, 0 at the target class."""
    violation = np.maximum(0, margin - _pick(s, index)[..., None] + s)
    return np.where(_one_hot(index, s.shape[-1], bool), 0, violation)


def _prepare_margin(scores, target, p, margin, weight, reduction):
    check_reduction(reduction)
    if p not in (1, 2):
        raise ValueError(f"p must be 1 or 2, got {p!r}")
    check_nonnegative(margin, "margin")
    s = as_float_array(scores, "scores")
    check_nonempty(s, "scores")
    if s.ndim not in (1, 2):
        raise ValueError(f"scores must have shape (N, C) or (C,), got {s.shape}")
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    index, _ = _index_target(target, s, ignore_index=None)
    weight = _class_weight(weight, s.shape[-1], s.dtype)
    return s, index, weight[index], s.dtype.type(1 / s.shape[-1])
