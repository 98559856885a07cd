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
    "softmax_focal",
    "softmax_focal_grad",
]

LOG_CLAMP = -100.0
CLAMPED_PROB = np.exp(LOG_CLAMP)  # log p <= LOG_CLAMP exactly where p <= CLAMPED_PROB


def _class_last(scores, name):
    """``scores`` with its class axis moved last, and that axis' original position.

    The result is C-contiguous (a copy only for inputs with more than two axes), so that
    the arrays computed from it are too and :func:`_target_positions` can index them.
    """
    scores = as_float_array(scores, name)
    check_nonempty(scores, name)
    axis = 0 if scores.ndim == 1 else 1
    return np.ascontiguousarray(np.moveaxis(scores, axis, -1)), axis


def _class_weight(weight, num_classes, dtype, name="weight"):
    """The ``(C,)`` class weights in ``dtype``; None stays None (unweighted)."""
    if weight is None:
        return None
    weight = as_float_array(weight, name).astype(dtype, copy=False)
    if weight.shape != (num_classes,):
        raise ValueError(
            f"{name} must have one entry per class, expected shape ({num_classes},), "
            f"got {weight.shape}"
        )
    return weight


def _index_target(target, scores_last, ignore_index):
    """Integer targets checked against class-last scores: ``(index, ignored)``.

    One cheap range check, the smallest and the largest target; only if one of them is
    outside ``[0, C)``, or ``ignore_index`` lies between them, are the targets searched.
    ``ignored`` is None when no target equals ``ignore_index``, else the flat positions of
    the ignored examples (see :func:`_zero_at`), where ``index`` then holds 0 so that a
    gather stays in range. Whatever a gather reads there is discarded with a select,
    never multiplied by a zero weight: 0 * (-inf) is NaN.
    """
    num_classes = scores_last.shape[-1]
    expected = scores_last.shape[:-1]
    if target.shape != expected:
        raise ValueError(
            f"target must hold one class index per example, expected shape {expected}, "
            f"got {target.shape}"
        )
    low, high = target.min(), target.max()
    may_ignore = ignore_index is not None and low <= ignore_index <= high
    if 0 <= low and high < num_classes and not may_ignore:
        return target, None
    # the ignored examples as a list of positions: a mask would cost a select over all N
    # examples (slow, with unpredictable branches) each time it is applied
    ignored = np.flatnonzero(target == ignore_index) if ignore_index is not None else []
    if not len(ignored):
        check_index_range(target, "target", num_classes)
        return target, None
    index = _zero_at(target.copy(), ignored, target.size)
    check_index_range(index, "target", num_classes)  # the kept targets, one min and max
    return index, ignored


def _zero_at(values, ignored, examples, fill=0):
    """``values`` with ``fill`` at the ignored examples, a select in place.

    ``values`` is a fresh C-contiguous array whose leading axes are those of the
    ``examples`` examples (one term each, or a row of C classes each); ``ignored`` are
    flat positions among the examples. Only those entries are written.
    """
    values = np.asarray(values)
    values.reshape(examples, -1)[ignored] = fill
    return values


def _target_positions(index, num_classes):
    """The flat positions of the target entries ``[..., index]`` of a class-last array.

    ``values.take(positions)`` gathers the N target entries, and
    ``grad.reshape(-1)[positions] -= w`` updates them in place in a fresh C-contiguous
    ``grad``: no (N, C) one-hot is built and only those entries are touched. Chosen for
    speed: one array of flat positions indexes three times faster than a pair of index
    arrays ``[rows, index]``.
    """
    positions = np.arange(0, index.size * num_classes, num_classes).reshape(index.shape)
    positions += index
    return positions


def _target_weights(weight, index, ignored):
    """``w[y_i]`` per example (None when unweighted), and the divisor of ``"mean"``.

    The divisor is the sum of the weights of the targets kept (their number when
    unweighted), PyTorch's rule for class-index targets.
    """
    if weight is None:
        return None, index.size - (0 if ignored is None else len(ignored))
    w_y = weight[index]
    return w_y, (w_y if ignored is None else _zero_at(w_y.copy(), ignored, index.size)).sum()


def _without_ignored(z, ignored):
    """``z`` (class last) with the rows of ignored examples set to 0, in a copy.

    Whatever they held (inf, NaN) can then reach no arithmetic, not even a warning; the
    terms and gradients of those examples are set to 0 afterwards.
    """
    return z if ignored is None else _zero_at(z.copy(), ignored, z.size // z.shape[-1])


def _class_max(values_last):
    """The maximum over the last (class) axis.

    For up to 8 classes it is taken as C - 1 elementwise maxima of whole class columns:
    NumPy's reduction along a short last axis runs one inner loop of C entries per
    example, three times slower at C = 4 (measured at 1e7 entries).
    """
    if values_last.shape[-1] > 8:
        return values_last.max(axis=-1)
    out = values_last[..., 0].copy()
    for c in range(1, values_last.shape[-1]):
        np.maximum(out, values_last[..., c], out=out)
    return out


def _class_sum(values_last):
    """The sum over the last (class) axis, as a product with a vector of ones.

    Chosen for speed: a matrix-vector product reads the array once, in BLAS, where
    NumPy's ``sum(axis=-1)`` over few classes runs one short inner loop per example.
    """
    return values_last @ np.ones(values_last.shape[-1], dtype=values_last.dtype)


def _shifted(z):
    r"""``z - m`` with :math:`m = \max_c z_c` per example: the log-sum-exp shift, a fresh array.

    The log-softmax is ``shifted - log(sum(exp(shifted)))``; the largest exponent is then
    :math:`e^0 = 1`, so nothing overflows. A row whose maximum is not finite is left
    unshifted, as :func:`lossbook.activations.log_softmax` does.
    """
    m = _class_max(z)
    return z - np.where(np.isfinite(m), m, 0)[..., None]


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
        any size give a finite loss (softmax followed by ``log`` does not). With index
        targets only the target entries are read and, in the gradient, updated (no
        one-hot is built). An ignored position contributes exactly 0 to the value and the
        gradient, whatever its logits hold (``inf``, NaN): it is selected away, never
        multiplied by a zero weight. When every target is ignored, ``"mean"`` is 0/0 =
        NaN, as in PyTorch.

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
    num_classes, smoothing = z.shape[-1], label_smoothing
    if np.issubdtype(target.dtype, np.floating):
        soft = _soft_target(target.astype(z.dtype, copy=False), z, axis, smoothing)
        w = 1 if weight is None else weight
        return reduce(-(log_softmax(z) * w * soft).sum(-1), reduction)
    index, ignored = _index_target(target, z, ignore_index)
    w_y, kept = _target_weights(weight, index, ignored)
    # -log p_c = log_norm - shifted_c, with shifted = z - max z and
    # log_norm = log sum_c exp(shifted_c): the log-softmax is never built, only the target
    # entry is read, and the exponential overwrites ``shifted`` once it has been read
    shifted = _shifted(_without_ignored(z, ignored))
    shifted_y = shifted.take(_target_positions(index, num_classes))
    if smoothing > 0:  # -sum_c w_c log p_c = (sum_c w_c) log_norm - sum_c w_c shifted_c
        w_shifted = _class_sum(shifted) if weight is None else shifted @ weight
    log_norm = np.log(_class_sum(np.exp(shifted, out=shifted)))
    terms = log_norm - shifted_y
    if w_y is not None:
        terms *= w_y
    if smoothing > 0:
        total_w = num_classes if weight is None else weight.sum()
        smooth = total_w * log_norm - w_shifted
        terms = (1 - smoothing) * terms + smoothing / num_classes * smooth
    if ignored is not None:
        terms = _zero_at(terms, ignored, index.size)
    return reduce(terms, reduction, divisor=kept)


def cross_entropy_grad(
    logits, target, *, weight=None, ignore_index=-100, label_smoothing=0.0, reduction="mean",
    wrt="logits"):
    r"""Gradient of :func:`cross_entropy` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    z, axis, weight, target = _prepare_ce(logits, target, weight, label_smoothing, reduction)
    num_classes, smoothing = z.shape[-1], label_smoothing
    if np.issubdtype(target.dtype, np.floating):
        soft = _soft_target(target.astype(z.dtype, copy=False), z, axis, smoothing)
        w = 1 if weight is None else weight
        grad = softmax(z) * (soft * w).sum(-1, keepdims=True) - w * soft
        grad = grad * grad_scale(reduction, grad.size // num_classes, z.dtype)
        return np.moveaxis(grad, -1, axis)
    index, ignored = _index_target(target, z, ignore_index)
    w_y, kept = _target_weights(weight, index, ignored)
    scale = grad_scale(reduction, kept, z.dtype)
    # w_y (p - e_y), and with smoothing (1 - eps) w_y (p - e_y) + eps / C (W p - w),
    # W = sum_c w_c: p times one coefficient per example, then the target entries only
    target_coef = scale if w_y is None else w_y * scale
    total_w = num_classes if weight is None else weight.sum()
    row_coef = (1 - smoothing) * target_coef + smoothing / num_classes * total_w * scale
    p = np.exp(_shifted(_without_ignored(z, ignored)))  # unnormalised softmax, fresh
    p *= (row_coef / _class_sum(p))[..., None]
    grad = p
    grad.reshape(-1)[_target_positions(index, num_classes)] -= (1 - smoothing) * target_coef
    if smoothing > 0:
        grad -= smoothing / num_classes * scale * (1 if weight is None else weight)
    if ignored is not None:
        _zero_at(grad, ignored, index.size)
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
        ignore_index: targets equal to it contribute nothing, whatever ``log_probs``
            holds there (``-inf`` included: the entry is selected away, not multiplied
            by 0).
        reduction: ``"mean"`` (divides by the summed weights of the non-ignored
            targets), ``"sum"`` or ``"none"``.

    See also:
        ``torch.nn.functional.nll_loss(log_probs, target, weight=weight,
        ignore_index=ignore_index, reduction=reduction)``.
        Keras and scikit-learn have no loss on log-probabilities; their cross-entropies take
        logits or probabilities, and log-probabilities pass as either: Keras's
        ``SparseCategoricalCrossentropy(from_logits=True)`` (a log-softmax of
        log-probabilities returns them unchanged), scikit-learn's ``log_loss`` of
        ``np.exp(log_probs)``. Chapter: One loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §5.5.

    Examples:
        >>> import numpy as np
        >>> print(f"{nll(np.log([[0.7, 0.2, 0.1]]), [0]):.4f}")
        0.3567

    Book chapter: Negative log-likelihood and sequences.
    """
    z, axis, weight, index, ignored = _prepare_nll(log_probs, target, weight, ignore_index,
                                                   reduction)
    w_y, kept = _target_weights(weight, index, ignored)
    picked = z.take(_target_positions(index, z.shape[-1]))
    if ignored is not None:  # a select: an ignored entry may hold -inf, and 0 * -inf is NaN
        picked = _zero_at(picked, ignored, index.size)
    return reduce(-picked if w_y is None else -w_y * picked, reduction, divisor=kept)


def nll_grad(log_probs, target, *, weight=None, ignore_index=-100, reduction="mean",
             wrt="log_probs"):
    r"""Gradient of :func:`nll` with respect to ``log_probs``."""
    check_wrt(wrt, ("log_probs",))
    z, axis, weight, index, ignored = _prepare_nll(log_probs, target, weight, ignore_index,
                                                   reduction)
    w_y, kept = _target_weights(weight, index, ignored)
    scale = grad_scale(reduction, kept, z.dtype)
    target_grad = -scale if w_y is None else -w_y * scale
    if ignored is not None:
        target_grad = _zero_at(np.broadcast_to(target_grad, index.shape).copy(), ignored,
                               index.size)
    grad = np.zeros(z.shape, dtype=z.dtype)
    grad.reshape(-1)[_target_positions(index, z.shape[-1])] = target_grad  # N entries only
    return np.moveaxis(grad, -1, axis)


def _prepare_nll(log_probs, target, weight, ignore_index, reduction):
    check_reduction(reduction)
    z, axis = _class_last(log_probs, "log_probs")
    weight = _class_weight(weight, z.shape[-1], z.dtype)
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    index, ignored = _index_target(target, z, ignore_index)
    return z, axis, weight, index, ignored


def categorical_cross_entropy(probs, target, *, weight=None, ignore_index=-100,
                              reduction="mean"):
    r"""Categorical cross-entropy on probabilities, as the formula is usually written.

    .. math:: \ell_i = -\sum_{c=1}^{C} w_c\, y_{ic} \log \hat y_{ic}

    for one-hot or soft targets :math:`y_{ic}` (:math:`w_c = 1` without ``weight``); for
    class-index targets :math:`y_i`, what PyTorch's ``nll_loss`` of :math:`\log \hat y`
    computes:

    .. math:: \ell_i = -w_{y_i} \log \hat y_{i y_i}

    Gradient: :math:`-w_c\, y_{ic} / \hat y_{ic}` (0 where the log is clamped); for index
    targets :math:`-w_{y_i} / \hat y_{i y_i}` at the target entry and 0 elsewhere.

    Shape: ``probs`` ``(N, C)`` (or ``(N, C, d1, ...)``, ``(C,)``); ``target`` of the
    same shape (one-hot or soft), or integer class indices of the shape without the class
    axis, ``(N)`` (or ``(N, d1, ...)``, ``()``); output ``(N)`` (the shape without the
    class axis) or a scalar.

    Args:
        probs: predicted probabilities in [0, 1], e.g. a softmax output.
        target: one-hot or soft target probabilities in [0, 1], same shape; or integer
            class indices in ``[0, C)``, one per example.
        weight: optional ``(C,)`` weight per class.
        ignore_index: index targets equal to it contribute nothing, whatever ``probs``
            holds there (index targets only, as in PyTorch).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``. ``"mean"`` divides by the number
            of examples for one-hot or soft targets, weighted or not (as
            ``F.cross_entropy`` does with probability targets), and by the summed weights
            of the kept targets for index targets (as ``F.nll_loss``). With a ``weight``,
            the same labels as indices and as one-hot rows give different means, as in
            PyTorch.

    Notes:
        Each :math:`\log \hat y` is clamped at :math:`-100`, as in PyTorch's BCE, so a
        probability of exactly 0 on the true class costs 100, not ``inf``. Rows need not
        sum to 1 and are not renormalised (Keras renormalises; see the chapter on
        libraries). To train, prefer :func:`cross_entropy` on logits. With index targets
        only the N target entries are read (one gather), and an ignored position is
        selected away, so that nothing it holds reaches the result.

    See also:
        ``torch.nn.functional.nll_loss(torch.log(probs).clamp(min=-100), target,
        weight=weight, ignore_index=ignore_index, reduction=reduction)`` for index targets;
        ``-(weight * target * torch.log(probs).clamp(min=-100)).sum(1)``, then the mean
        over examples, for one-hot or soft targets.
        Keras ``keras.losses.CategoricalCrossentropy()(target, probs)`` renormalises each
        row to sum 1 first; scikit-learn ``log_loss(target.argmax(1), probs)`` does not, and
        warns. Chapter: One loss, three libraries.

    References:
        :cite:`goodfellow2016deep` §6.2.2.3.

    Examples:
        >>> print(f"{categorical_cross_entropy([[0.7, 0.2, 0.1]], [[1.0, 0.0, 0.0]]):.4f}")
        0.3567
        >>> print(f"{categorical_cross_entropy([[0.7, 0.2, 0.1], [0.5, 0.3, 0.2]], [0, -100]):.4f}")
        0.3567

    Book chapter: Categorical cross-entropy.
    """
    p, t, weight, index, ignored, _ = _prepare_cce(probs, target, weight, ignore_index,
                                                   reduction)
    if index is None:  # one-hot or soft targets: log p clamped, times t, in place
        with np.errstate(divide="ignore"):
            terms = np.log(p)
        np.maximum(terms, LOG_CLAMP, out=terms)
        terms *= t
        if weight is not None:
            terms *= weight
        return reduce(-_class_sum(terms), reduction)
    w_y, kept = _target_weights(weight, index, ignored)
    with np.errstate(divide="ignore"):
        log_p_y = np.maximum(np.log(_target_probs(p, index, ignored)), LOG_CLAMP)
    return reduce(-log_p_y if w_y is None else -w_y * log_p_y, reduction, divisor=kept)


def categorical_cross_entropy_grad(probs, target, *, weight=None, ignore_index=-100,
                                   reduction="mean", wrt="probs"):
    r"""Gradient of :func:`categorical_cross_entropy` with respect to ``probs``."""
    check_wrt(wrt, ("probs",))
    p, t, weight, index, ignored, axis = _prepare_cce(probs, target, weight, ignore_index,
                                                      reduction)
    if index is None:  # one-hot or soft targets: -t / p, 0 where log p is clamped
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = t / p
        grad[p <= CLAMPED_PROB] = 0  # log p <= -100; NaN stays NaN
        grad *= -grad_scale(reduction, grad.size // grad.shape[-1], p.dtype)
        if weight is not None:
            grad *= weight
        return np.moveaxis(grad, -1, axis)
    w_y, kept = _target_weights(weight, index, ignored)
    p_y = _target_probs(p, index, ignored)
    with np.errstate(divide="ignore", invalid="ignore"):
        target_grad = np.where(p_y > CLAMPED_PROB, -1 / p_y, 0 * p_y)  # 0 where clamped
    target_grad = target_grad * grad_scale(reduction, kept, p.dtype)
    if w_y is not None:
        target_grad *= w_y
    if ignored is not None:  # selected last: 0, even when no target is kept (0 * inf)
        target_grad = _zero_at(target_grad, ignored, index.size)
    grad = np.zeros(p.shape, dtype=p.dtype)
    grad.reshape(-1)[_target_positions(index, p.shape[-1])] = target_grad
    return np.moveaxis(grad, -1, axis)


def _target_probs(p, index, ignored):
    """The probability of each example's target class, 1 (log 1 = 0) where ignored."""
    p_y = p.take(_target_positions(index, p.shape[-1]))
    return p_y if ignored is None else _zero_at(p_y, ignored, index.size, fill=1)


def _prepare_cce(probs, target, weight, ignore_index, reduction):
    """Class-last ``probs``, then ``(soft target, None, None)`` for one-hot or soft targets
    or ``(None, index, ignored)`` for integer targets without the class axis."""
    check_reduction(reduction)
    probs = as_float_array(probs, "probs")
    axis = 0 if probs.ndim == 1 else 1
    target = np.asarray(target)
    if np.issubdtype(target.dtype, np.integer) and target.ndim == probs.ndim - 1:
        check_nonempty(probs, "probs")
        check_in_unit_interval(probs, "probs")
        p = np.moveaxis(probs, axis, -1)  # read only by take(): any layout will do
        index, ignored = _index_target(target, p, ignore_index)
        return p, None, _class_weight(weight, p.shape[-1], p.dtype), index, ignored, axis
    target = as_label_array(target, "target", probs.dtype)
    check_same_shape(probs, target, "probs", "target")
    check_nonempty(probs, "probs")
    check_in_unit_interval(probs, "probs")
    check_in_unit_interval(target, "target")
    p, t = np.moveaxis(probs, axis, -1), np.moveaxis(target, axis, -1)
    return p, t, _class_weight(weight, p.shape[-1], p.dtype), None, None, axis


def softmax_focal(logits, target, *, alpha=None, gamma=2.0, reduction="mean"):
    r"""Softmax focal loss: cross-entropy scaled down on examples already classified well.

    The focal loss of :cite:t:`lin2017focal` with a softmax in place of the sigmoid, as
    common multi-class implementations write it. With :math:`\hat p_{iy} =
    \operatorname{softmax}(z_i)_{y_i}` and a weight :math:`\alpha_c` per class:

    .. math:: \ell_i = -\alpha_{y_i} (1 - \hat p_{iy})^\gamma \log \hat p_{iy}

    Gradient with respect to the logits, with :math:`u = \log \hat p_{iy}` and
    :math:`e_y` the one-hot target:

    .. math:: \frac{\partial \ell_i}{\partial z_i} = \alpha_{y_i} (1 - \hat p_{iy})^\gamma
       \left(1 - \gamma\, \frac{\hat p_{iy}\, u}{1 - \hat p_{iy}}\right)
       (\hat p_i - e_{y_i})

    the cross-entropy gradient :math:`\hat p_i - e_{y_i}` times one factor per example.

    Shape: ``logits`` ``(N, C)``, ``(N, C, d1, ..., dK)`` or ``(C,)``; ``target`` integer
    indices of the shape without the class axis. Output: that shape for
    ``reduction="none"``, else a scalar.

    Args:
        logits: raw scores, float.
        target: class indices in ``[0, C)``, int.
        alpha: ``None`` (no class weighting, :math:`\alpha_c = 1`) or a ``(C,)`` weight per
            class, >= 0.
        gamma: focusing parameter, >= 0; ``gamma=0`` with ``alpha=None`` is
            :func:`cross_entropy`.
        reduction: ``"mean"`` (over examples, not divided by the weights), ``"sum"`` or
            ``"none"``.

    Notes:
        :math:`\log \hat p` is the max-shifted log-softmax, and :math:`1 - \hat p` is
        computed from it as ``-expm1(log p)``, without a cancellation of its own (it
        keeps the log-sum-exp's absolute rounding of about 1e-16, as PyTorch's
        ``1 - exp(log p)`` does). Where :math:`\hat p_{iy} = 1` exactly, the ratio
        :math:`u / (1 - \hat p)` takes its limit :math:`-1`: the gradient stays finite for
        ``gamma < 1``, where autograd through ``(1 - p) ** gamma`` gives NaN. Unlike the
        class ``weight`` of :func:`cross_entropy`, :math:`\alpha` does not enter the
        divisor of ``"mean"``.

    See also:
        PyTorch has no softmax focal loss; written from the formula:
        ``-alpha[target] * (1 - p_t) ** gamma * log_p_t`` with
        ``log_p_t = torch.log_softmax(logits, 1).gather(1, target[:, None])[:, 0]`` and
        ``p_t = log_p_t.exp()``. :func:`~lossbook.binary.sigmoid_focal` is the binary form
        (torchvision's ``sigmoid_focal_loss``).
        Keras ``keras.losses.CategoricalFocalCrossentropy(alpha=alpha, gamma=gamma,
        from_logits=True)(one_hot(target), logits)`` (its default ``alpha=0.25`` scales
        every class; ``alpha=1.0`` is no weighting); scikit-learn: none. Chapter: One loss,
        three libraries.

    References:
        :cite:`lin2017focal`.

    Examples:
        >>> print(f"{softmax_focal([[2.0, 1.0, 0.1]], [0]):.4f}")
        0.0485
        >>> print(f"{softmax_focal([[2.0, 1.0, 0.1]], [0], gamma=0.0):.4f}")
        0.4170

    Book chapter: Weighted BCE and focal loss.
    """
    _, alpha, index, log_p_y, _, _ = _focal_parts(logits, target, alpha, gamma, reduction)
    miss = -np.expm1(log_p_y)  # 1 - p_y, no cancellation of its own
    terms = -(miss**gamma) * log_p_y
    return reduce(terms if alpha is None else alpha[index] * terms, reduction)


def softmax_focal_grad(logits, target, *, alpha=None, gamma=2.0, reduction="mean",
                       wrt="logits"):
    r"""Gradient of :func:`softmax_focal` with respect to ``logits``."""
    check_wrt(wrt, ("logits",))
    axis, alpha, index, log_p_y, p, sums = _focal_parts(logits, target, alpha, gamma,
                                                        reduction)
    miss = -np.expm1(log_p_y)
    # log p_y / (1 - p_y) -> -1 as p_y -> 1, its limit where the two are 0
    ratio = np.divide(log_p_y, miss, out=np.full_like(log_p_y, -1), where=miss > 0)
    factor = miss**gamma * (1 - gamma * np.exp(log_p_y) * ratio)
    if alpha is not None:
        factor *= alpha[index]
    factor *= grad_scale(reduction, index.size, p.dtype)
    # factor * (p - e_y): p in place, then the target entries only
    p *= (factor / sums)[..., None]
    p.reshape(-1)[_target_positions(index, p.shape[-1])] -= factor
    return np.moveaxis(p, -1, axis)


def _focal_parts(logits, target, alpha, gamma, reduction):
    """The class axis, checked alpha and targets, ``log p_y`` per example, and the
    unnormalised softmax (class last) with its sums."""
    check_reduction(reduction)
    check_nonnegative(gamma, "gamma")
    z, axis = _class_last(logits, "logits")
    alpha = _class_weight(alpha, z.shape[-1], z.dtype, "alpha")
    if alpha is not None:
        check_nonnegative(alpha, "alpha")
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    index, _ = _index_target(target, z, ignore_index=None)
    shifted = _shifted(z)
    shifted_y = shifted.take(_target_positions(index, z.shape[-1]))
    p = np.exp(shifted, out=shifted)  # in place: shifted has been read
    sums = _class_sum(p)
    return axis, alpha, index, shifted_y - np.log(sums), p, sums


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
    s, index, w_y, scale = _prepare_margin(scores, target, p, margin, weight, reduction)
    violation = _violations(s, index, margin)
    if p == 2:
        np.square(violation, out=violation)
    terms = scale * _class_sum(violation)
    return reduce(terms if w_y is None else w_y * terms, reduction)


def multi_margin_grad(scores, target, *, p=1, margin=1.0, weight=None, reduction="mean",
                      wrt="scores"):
    r"""Gradient of :func:`multi_margin` with respect to ``scores``."""
    check_wrt(wrt, ("scores",))
    s, index, w_y, scale = _prepare_margin(scores, target, p, margin, weight, reduction)
    at = _target_positions(index, s.shape[-1])
    coef = scale * grad_scale(reduction, index.size, s.dtype)
    if w_y is not None:
        coef = (w_y * coef)[..., None]
    if p == 1:
        # the slope of max(0, a_j) is 1 where a_j = m - s_y + s_j > 0, that is where
        # s_j > s_y - m (0 at the kink); one comparison, the violations are not needed
        active = s > (s.take(at) - margin)[..., None]
        active.reshape(-1)[at] = False  # the target is not its own rival
        grad = np.multiply(active, coef, dtype=s.dtype)
    else:  # the slope of a_j^2 is 2 a_j
        grad = _violations(s, index, margin)
        grad *= 2 * coef
    # each violation pushes s_j up and s_y down by the same amount
    grad.reshape(-1)[at] = -_class_sum(grad)
    return grad


def _violations(s, index, margin):
    """max(0, margin - s_y + s_j) for every wrong class j, 0 at the target: a fresh array."""
    at = _target_positions(index, s.shape[-1])
    violation = s - (s.take(at) - margin)[..., None]
    np.maximum(violation, 0, out=violation)
    violation.reshape(-1)[at] = 0  # the target is not its own rival
    return violation


def _prepare_margin(scores, target, p, margin, weight, reduction):
    check_reduction(reduction)
    if p not in (1, 2):
        raise ValueError(f"p must be 1 or 2, got {p!r}")
    check_nonnegative(margin, "margin")
    s = np.ascontiguousarray(as_float_array(scores, "scores"))  # for _target_positions
    check_nonempty(s, "scores")
    if s.ndim not in (1, 2):
        raise ValueError(f"scores must have shape (N, C) or (C,), got {s.shape}")
    target = np.asarray(target)
    if not np.issubdtype(target.dtype, np.integer):
        raise TypeError(f"target must hold integer class indices, got dtype {target.dtype}")
    index, _ = _index_target(target, s, ignore_index=None)
    weight = _class_weight(weight, s.shape[-1], s.dtype)
    return s, index, None if weight is None else weight[index], s.dtype.type(1 / s.shape[-1])
