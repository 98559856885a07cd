r"""The book's losses that PyTorch lacks, written in torch operations, for training.

PyTorch has most of the book's losses (``torch.nn.functional``); a chapter that trains a
network uses those directly. This module holds the others, written from their papers'
formulas: log-cosh, the quantile (pinball) loss, the sigmoid and softmax focal losses,
the hinge losses, cross-entropy on probabilities, InfoNCE in its three forms, Keras's
binary label smoothing, the knowledge-distillation loss, a triplet loss that picks its triplets
inside a batch, the ordinal losses (the cumulative link and CORAL), the overlap losses of
segmentation (soft Dice, Tversky, focal Tversky, cross-entropy + Dice) and the pairwise
contrastive loss of Hadsell, Chopra and LeCun.

Each function takes torch tensors and the keyword arguments of its NumPy namesake in
``lossbook``, and returns a tensor that autograd differentiates. The test suite uses
these functions as the PyTorch references of their NumPy namesakes: values agree to
float64 precision, and each NumPy gradient agrees with autograd through the function
here (``tests/test_against_torch.py``), so the two implementations prove each other.

Importing this module imports torch; ``import lossbook`` does not.

Examples:
    >>> import torch
    >>> pred, target = torch.tensor([1.0, 3.0]), torch.tensor([2.0, 2.0])
    >>> print(f"{quantile(pred, target, q=0.9).item():.2f}")
    0.50
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

__all__ = [
    "log_cosh",
    "quantile",
    "sigmoid_focal",
    "softmax_focal",
    "hinge",
    "squared_hinge",
    "categorical_cross_entropy",
    "smooth_binary_labels",
    "info_nce",
    "symmetric_info_nce",
    "nt_xent",
    "distillation",
    "batch_triplet",
    "cumulative_link",
    "coral",
    "soft_dice",
    "tversky",
    "focal_tversky",
    "dice_bce",
    "contrastive",
]


def _reduce(terms, reduction):
    if reduction == "mean":
        return terms.mean()
    if reduction == "sum":
        return terms.sum()
    if reduction == "none":
        return terms
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def log_cosh(pred, target, *, reduction="mean"):
    r"""log cosh of the error :math:`e` = ``pred - target``. ``torch.log(torch.cosh(e))``
    overflows for :math:`|e| > 710` and rounds to 0 for :math:`|e| < 10^{-8}`, so this
    switches between :math:`\log(1 + 2\sinh^2(e/2))` and
    :math:`|e| - \log 2 + \log(1 + e^{-2|e|})` at :math:`|e| = 20`."""
    e = (pred - target).abs()
    small = torch.log1p(2 * torch.sinh(torch.clamp(e, max=20) / 2) ** 2)
    large = e - math.log(2) + torch.log1p(torch.exp(-2 * e))
    return _reduce(torch.where(e < 20, small, large), reduction)


def quantile(pred, target, *, q=0.5, reduction="mean"):
    """The pinball loss max(q r, (q - 1) r) of the residual r = target - pred, q in [0, 1]."""
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must be in [0, 1], got {q}")
    residual = target - pred
    return _reduce(torch.maximum(q * residual, (q - 1) * residual), reduction)


def sigmoid_focal(logits, target, *, alpha=0.25, gamma=2.0, reduction="mean"):
    """The focal loss of Lin et al. (2017) on sigmoid outputs, as torchvision's
    ``sigmoid_focal_loss`` computes it; ``alpha=None`` (or torchvision's negative alpha)
    turns the class weighting off."""
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None and alpha >= 0:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _reduce(loss, reduction)


def softmax_focal(logits, target, *, alpha=None, gamma=2.0, reduction="mean"):
    """The focal loss on the softmax probability of the target class,
    -α_y (1 - p_y)^γ log p_y, with an optional weight α per class; logits ``(N, C)``,
    class indices ``(N,)``."""
    log_p_t = torch.log_softmax(logits, dim=1).gather(1, target[:, None])[:, 0]
    loss = -(1 - log_p_t.exp()) ** gamma * log_p_t
    if alpha is not None:
        loss = torch.as_tensor(alpha, dtype=logits.dtype)[target] * loss
    return _reduce(loss, reduction)


def hinge(scores, target, *, margin=1.0, reduction="mean"):
    """max(0, margin - t s) for labels t in {-1, +1}."""
    return _reduce(torch.clamp(margin - target * scores, min=0), reduction)


def squared_hinge(scores, target, *, margin=1.0, reduction="mean"):
    """max(0, margin - t s)² for labels t in {-1, +1}."""
    return _reduce(torch.clamp(margin - target * scores, min=0) ** 2, reduction)


def categorical_cross_entropy(probs, target, *, weight=None, ignore_index=-100,
                              reduction="mean"):
    """Cross-entropy on probabilities ``(N, C)``, log clamped at -100 as PyTorch's BCE
    does. Index targets: ``nll_loss`` of the clamped log; one-hot or soft targets: the
    formula, weighted per class and averaged over examples (``cross_entropy``'s rule for
    probability targets)."""
    log_p = torch.log(probs).clamp(min=-100)
    weight = None if weight is None else torch.as_tensor(weight, dtype=probs.dtype)
    if not target.is_floating_point():
        return F.nll_loss(log_p, target, weight=weight, ignore_index=ignore_index,
                          reduction=reduction)
    terms = target * log_p if weight is None else weight * target * log_p
    return _reduce(-terms.sum(1), reduction)


def smooth_binary_labels(target, label_smoothing):
    """Keras's binary label smoothing, y (1 - ε) + ε/2, as a PyTorch user writes it: pass
    the result to ``binary_cross_entropy(_with_logits)``."""
    return target * (1 - label_smoothing) + 0.5 * label_smoothing


def _cosine_logits(queries, keys, temperature):
    return F.normalize(queries, dim=-1) @ F.normalize(keys, dim=-1).T / temperature


def info_nce(queries, keys, *, temperature=0.1, reduction="mean"):
    """InfoNCE (van den Oord et al. 2018): row i of ``queries`` against every row of
    ``keys``, its positive the key in row i; cosine similarities over ``temperature``."""
    logits = _cosine_logits(queries, keys, temperature)
    return F.cross_entropy(logits, torch.arange(len(queries)), reduction=reduction)


def symmetric_info_nce(queries, keys, *, temperature=0.1, reduction="mean"):
    """CLIP's loss (Radford et al. 2021, Figure 3): the mean of the cross-entropies over
    the rows and over the columns of the similarity matrix."""
    logits = _cosine_logits(queries, keys, temperature)
    labels = torch.arange(len(queries))
    rows = F.cross_entropy(logits, labels, reduction="none")
    columns = F.cross_entropy(logits.T, labels, reduction="none")
    return _reduce((rows + columns) / 2, reduction)


def nt_xent(view1, view2, *, temperature=0.1, reduction="mean"):
    """SimCLR's NT-Xent (Chen et al. 2020, Algorithm 1): the 2N views against each other,
    a view excluded from its own softmax, the other view of its example the positive."""
    z = F.normalize(torch.cat([view1, view2]), dim=-1)
    n = len(view1)
    self_pairs = torch.eye(2 * n, dtype=torch.bool)
    logits = (z @ z.T / temperature).masked_fill(self_pairs, float("-inf"))
    positives = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return F.cross_entropy(logits, positives, reduction=reduction)


def distillation(student_logits, teacher_logits, target, *, temperature=4.0, alpha=0.5,
                 t_squared=True, reduction="mean"):
    """Knowledge distillation (Hinton, Vinyals and Dean 2015): alpha T² KL(p^T || q^T) +
    (1 - alpha) CE, per example; the teacher's logits are detached (a constant)."""
    T = temperature
    weight = alpha * (T**2 if t_squared else 1.0)
    log_q = F.log_softmax(student_logits / T, -1)
    log_p = F.log_softmax(teacher_logits.detach() / T, -1)
    if reduction == "mean":  # the usual code: "batchmean" KL plus the mean cross-entropy
        return (weight * F.kl_div(log_q, log_p, log_target=True, reduction="batchmean")
                + (1 - alpha) * F.cross_entropy(student_logits, target))
    soft = F.kl_div(log_q, log_p, log_target=True, reduction="none").sum(-1)
    hard = F.cross_entropy(student_logits, target, reduction="none")
    return _reduce(weight * soft + (1 - alpha) * hard, reduction)


MINING = ("random", "hard", "semi-hard")


def _pairwise_distances(embeddings, eps=1e-12):
    """Euclidean distances between the rows, with a gradient that stays finite at 0."""
    squared = (embeddings[:, None, :] - embeddings[None, :, :]).pow(2).sum(-1)
    return torch.sqrt(squared + eps)


def batch_triplet(embeddings, labels, *, margin=1.0, mining="semi-hard", generator=None,
                  reduction="mean"):
    r"""Triplet loss over every (anchor, positive) pair of a batch, the negative mined.

    For every ordered pair :math:`(a, p)`, :math:`a \ne p`, of examples with the same
    label, one negative :math:`n` (another label) is chosen, and the pair contributes
    :math:`\max(0, d_{ap} - d_{an} + \text{margin})` with Euclidean distances :math:`d`.
    The choice of :math:`n` is the ``mining``:

    - ``"random"``: a negative drawn uniformly (from ``generator``);
    - ``"hard"``: the closest negative, :math:`\min_n d_{an}`;
    - ``"semi-hard"``: the closest negative that is further than the positive,
      :math:`\min \{d_{an} : d_{an} > d_{ap}\}`, and the furthest negative when there is
      none (Schroff et al. 2015; the rule of TensorFlow Addons' ``triplet_semihard_loss``).

    The choice is made without gradient; the loss is differentiated through the distances.

    Shape: ``embeddings`` ``(N, D)``, ``labels`` ``(N,)`` integers; output one term per
    (anchor, positive) pair, or a scalar. A batch without a pair or without a negative has
    no triplet and raises ``ValueError``.
    """
    if mining not in MINING:
        raise ValueError(f"mining must be one of {MINING}, got {mining!r}")
    d = _pairwise_distances(embeddings)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool, device=labels.device)
    anchor, positive = torch.nonzero(same & ~eye, as_tuple=True)
    negative_mask = ~same[anchor]                     # (pairs, N)
    if len(anchor) == 0 or not negative_mask.any(1).all():
        raise ValueError("labels must give every anchor a positive and a negative, "
                         f"got labels {labels.tolist()}")
    with torch.no_grad():
        d_an = d[anchor].masked_fill(~negative_mask, float("inf"))  # (pairs, N)
        if mining == "hard":
            negative = d_an.argmin(1)
        elif mining == "random":
            weights = negative_mask.to(embeddings.dtype)
            negative = torch.multinomial(weights, 1, generator=generator)[:, 0]
        else:
            d_ap = d[anchor, positive][:, None]
            further = d_an.masked_fill(d_an <= d_ap, float("inf"))
            furthest = d[anchor].masked_fill(~negative_mask, float("-inf")).argmax(1)
            has_further = torch.isfinite(further).any(1)
            negative = torch.where(has_further, further.argmin(1), furthest)
    terms = torch.clamp(d[anchor, positive] - d[anchor, negative] + margin, min=0)
    return _reduce(terms, reduction)


def cumulative_link(scores, target, cutpoints, *, reduction="mean"):
    r"""The cumulative logit model of McCullagh (1980): P(y <= k) = sigmoid(theta_k - eta),
    the loss -log P(y = target), with theta_{-1} = -inf and theta_{K-1} = +inf.

    P(y = k) = sigmoid(b) - sigmoid(a), with b = theta_k - eta and a = theta_{k-1} - eta,
    is taken in the log as logsigmoid(b) + logsigmoid(-a) + log(1 - exp(a - b)), so that
    two probabilities close to 1 are never subtracted. ``scores`` ``(N,)``, ``target``
    ``(N,)`` grades in [0, K), ``cutpoints`` ``(K-1,)`` strictly increasing (else
    ``ValueError``); autograd reaches both the scores and the cut-points."""
    if not bool((cutpoints[1:] > cutpoints[:-1]).all()):
        raise ValueError("cutpoints must be strictly increasing")
    inf = torch.full((1,), float("inf"), dtype=cutpoints.dtype)
    padded = torch.cat([-inf, cutpoints, inf])   # theta_{-1}, ..., theta_{K-1}
    upper = padded[target + 1] - scores          # b: +inf for the top grade
    lower = padded[target] - scores              # a: -inf for the bottom grade
    top, bottom = target == len(cutpoints), target == 0
    log_upper = torch.where(top, 0.0, F.logsigmoid(upper))
    log_lower = torch.where(bottom, 0.0, F.logsigmoid(-lower))
    gap = torch.where(top | bottom, 1.0, padded[target + 1] - padded[target])
    log_width = torch.where(top | bottom, 0.0, torch.log(-torch.expm1(-gap)))
    return _reduce(-(log_upper + log_lower + log_width), reduction)


def coral(logits, target, *, weight=None, reduction="mean"):
    """CORAL (Cao, Mirjalili and Raschka 2020): binary cross-entropy of each of the K - 1
    logits against the level 1[target > k], weighted by ``weight`` (one per boundary),
    summed over the boundaries; ``"mean"`` averages over examples."""
    boundaries = torch.arange(logits.shape[1])
    levels = (target[:, None] > boundaries[None, :]).to(logits.dtype)
    weight = None if weight is None else torch.as_tensor(weight, dtype=logits.dtype)
    terms = F.binary_cross_entropy_with_logits(logits, levels, weight=weight,
                                               reduction="none")
    return _reduce(terms.sum(1), reduction)
def _overlap_counts(probs, target, multiclass):
    """Soft TP, FP, FN per image (and class): sums over every axis after the first (two)."""
    dims = tuple(range(2 if multiclass else 1, probs.dim()))
    if not dims:  # (N, C) with multiclass: one pixel per image and class
        return probs * target, probs * (1 - target), (1 - probs) * target
    return ((probs * target).sum(dims), (probs * (1 - target)).sum(dims),
            ((1 - probs) * target).sum(dims))


def _per_image(terms, multiclass):
    return terms.mean(1) if multiclass else terms


def soft_dice(probs, target, *, smooth=1.0, multiclass=False, reduction="mean"):
    """1 - (2 TP + s) / (2 TP + FP + FN + s) per image (Milletari et al. 2016, with the
    linear denominator); ``multiclass``: classes on axis 1, averaged per image."""
    tp, fp, fn = _overlap_counts(probs, target, multiclass)
    dice = (2 * tp + smooth) / (2 * tp + fp + fn + smooth)
    return _reduce(_per_image(1 - dice, multiclass), reduction)


def tversky(probs, target, *, alpha=0.5, beta=0.5, smooth=1.0, multiclass=False,
            reduction="mean"):
    """1 - (TP + s) / (TP + α FP + β FN + s) per image (Salehi et al. 2017)."""
    tp, fp, fn = _overlap_counts(probs, target, multiclass)
    index = (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
    return _reduce(_per_image(1 - index, multiclass), reduction)


def focal_tversky(probs, target, *, alpha=0.7, beta=0.3, gamma=0.75, smooth=1.0,
                  multiclass=False, reduction="mean"):
    """(1 - TI)^γ per image (and class), TI the Tversky index (Abraham and Khan 2019, whose
    exponent 1/γ with γ = 4/3 is ``gamma=0.75`` here). 1 - TI is written as
    (α FP + β FN) / (TP + α FP + β FN + s), not as a difference: near a perfect overlap the
    difference cancels, and the power (γ - 1 < 0 in the gradient) magnifies the error."""
    tp, fp, fn = _overlap_counts(probs, target, multiclass)
    miss = (alpha * fp + beta * fn) / (tp + alpha * fp + beta * fn + smooth)
    return _reduce(_per_image(torch.clamp(miss, min=0) ** gamma, multiclass), reduction)


def dice_bce(logits, target, *, smooth=1.0, dice_weight=1.0, multiclass=False,
             reduction="mean"):
    """Per-image mean cross-entropy (sigmoid BCE, or softmax over axis 1 with one-hot
    targets) plus ``dice_weight`` times the soft Dice loss of the probabilities."""
    if multiclass:
        ce = F.cross_entropy(logits, target, reduction="none")
        probs = torch.softmax(logits, dim=1)
    else:
        ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
        probs = torch.sigmoid(logits)
    if ce.dim() > 1:
        ce = ce.flatten(1).mean(1)
    dice = soft_dice(probs, target, smooth=smooth, multiclass=multiclass, reduction="none")
    return _reduce(ce + dice_weight * dice, reduction)


def contrastive(input1, input2, target, *, margin=1.0, reduction="mean"):
    r"""Hadsell, Chopra and LeCun's (2006) contrastive loss, their equation 4: with the
    Euclidean distance :math:`D` of each pair of rows and the paper's labels (0 similar,
    1 dissimilar), :math:`(1 - Y) \frac12 D^2 + Y \frac12 \max(0, m - D)^2`."""
    d = torch.linalg.vector_norm(input1 - input2, dim=-1)
    terms = (1 - target) * d**2 / 2 + target * torch.clamp(margin - d, min=0) ** 2 / 2
    return _reduce(terms, reduction)
