"""PyTorch references for every loss in the catalog, keyed by catalog name.

Where PyTorch has the loss, the reference is that function. Where it has none (log-cosh,
quantile, focal, hinge, categorical cross-entropy on probabilities, InfoNCE and its
symmetric and NT-Xent forms), the reference is the formula of the cited paper written in
torch operations, independently of lossbook's NumPy code. Each takes torch tensors (the prediction first), the loss's
keyword arguments and ``reduction``.
"""

from __future__ import annotations

import math
import warnings


import torch
import torch.nn.functional as F


def _reduce(terms, reduction):
    if reduction == "mean":
        return terms.mean()
    if reduction == "sum":
        return terms.sum()
    return terms


def _tensor_or_none(weight, like):
    return None if weight is None else torch.as_tensor(weight, dtype=like.dtype)


def log_cosh(pred, target, *, reduction):
    """log cosh e; torch.log(torch.cosh(e)) overflows for |e| > 710 and is 0 for |e| < 1e-8,
    so the reference switches between log1p(2 sinh^2(e/2)) and |e| - log 2 + log1p(e^-2|e|)."""
    e = (pred - target).abs()
    small = torch.log1p(2 * torch.sinh(torch.clamp(e, max=20) / 2) ** 2)
    large = e - math.log(2) + torch.log1p(torch.exp(-2 * e))
    return _reduce(torch.where(e < 20, small, large), reduction)


def quantile(pred, target, *, q, reduction):
    residual = target - pred
    return _reduce(torch.maximum(q * residual, (q - 1) * residual), reduction)


def sigmoid_focal(logits, target, *, alpha, gamma, reduction):
    """torchvision.ops.sigmoid_focal_loss, as Lin et al. (2017) define it."""
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None and alpha >= 0:  # torchvision: alpha < 0 means no weighting
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _reduce(loss, reduction)


def _smoothed(target, label_smoothing):
    """Keras's binary label smoothing, as a PyTorch user writes it by hand."""
    return target * (1 - label_smoothing) + 0.5 * label_smoothing


def bce(probs, target, *, weight=None, label_smoothing=0.0, reduction):
    return F.binary_cross_entropy(probs, _smoothed(target, label_smoothing),
                                  weight=_tensor_or_none(weight, probs), reduction=reduction)


def bce_with_logits(logits, target, *, pos_weight, weight=None, label_smoothing=0.0, reduction):
    return F.binary_cross_entropy_with_logits(
        logits, _smoothed(target, label_smoothing), weight=_tensor_or_none(weight, logits),
        pos_weight=_tensor_or_none(pos_weight, logits), reduction=reduction)


def hinge(scores, target, *, margin, reduction):
    return _reduce(torch.clamp(margin - target * scores, min=0), reduction)


def squared_hinge(scores, target, *, margin, reduction):
    return _reduce(torch.clamp(margin - target * scores, min=0) ** 2, reduction)


def categorical_cross_entropy(probs, target, *, weight=None, ignore_index=-100, reduction):
    """Index targets: ``nll_loss`` of the clamped log; one-hot or soft targets: the
    formula, weighted per class and averaged over examples (``cross_entropy``'s rule for
    probability targets)."""
    log_p = torch.log(probs).clamp(min=-100)
    weight = _tensor_or_none(weight, probs)
    if not target.is_floating_point():
        return F.nll_loss(log_p, target, weight=weight, ignore_index=ignore_index,
                          reduction=reduction)
    terms = target * log_p if weight is None else weight * target * log_p
    return _reduce(-terms.sum(1), reduction)


def softmax_focal(logits, target, *, alpha, gamma, reduction):
    """Lin et al.'s focal loss on the softmax probability of the target class, with a
    weight per class, as multi-class implementations write it."""
    log_p_t = torch.log_softmax(logits, dim=1).gather(1, target[:, None])[:, 0]
    loss = -(1 - log_p_t.exp()) ** gamma * log_p_t
    if alpha is not None:
        loss = torch.as_tensor(alpha, dtype=logits.dtype)[target] * loss
    return _reduce(loss, reduction)


def kl_divergence(q, p, *, reduction):
    with warnings.catch_warnings():
        # torch warns that its "mean" is not the KL per distribution; lossbook documents it
        warnings.filterwarnings("ignore", message="reduction: 'mean'")
        return F.kl_div(torch.log(q), p, reduction=reduction)


def triplet_margin(anchor, positive, negative, *, margin, p, eps, swap, reduction):
    return F.triplet_margin_loss(anchor, positive, negative, margin=margin, p=p, eps=eps,
                                 swap=swap, reduction=reduction)


def kl_div(input, target, *, log_target, reduction):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="reduction: 'mean'")
        return F.kl_div(input, target, log_target=log_target, reduction=reduction)


def info_nce(queries, keys, *, temperature, reduction):
    logits = F.normalize(queries, dim=-1) @ F.normalize(keys, dim=-1).T / temperature
    return F.cross_entropy(logits, torch.arange(len(queries)), reduction=reduction)


def symmetric_info_nce(queries, keys, *, temperature, reduction):
    """CLIP (Radford et al. 2021, Figure 3): the mean of the cross-entropies over the rows
    and over the columns of the similarity matrix."""
    logits = F.normalize(queries, dim=-1) @ F.normalize(keys, dim=-1).T / temperature
    labels = torch.arange(len(queries))
    rows = F.cross_entropy(logits, labels, reduction="none")
    columns = F.cross_entropy(logits.T, labels, reduction="none")
    return _reduce((rows + columns) / 2, reduction)


def nt_xent(view1, view2, *, temperature, reduction):
    """SimCLR (Chen et al. 2020, Algorithm 1): the 2N views against each other, a view
    excluded from its own softmax, the other view of its example the positive."""
    z = F.normalize(torch.cat([view1, view2]), dim=-1)
    n = len(view1)
    self_pairs = torch.eye(2 * n, dtype=torch.bool)
    logits = (z @ z.T / temperature).masked_fill(self_pairs, float("-inf"))
    positives = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return F.cross_entropy(logits, positives, reduction=reduction)


REFERENCES = {
    "mse": lambda x, y, *, reduction: F.mse_loss(x, y, reduction=reduction),
    "mae": lambda x, y, *, reduction: F.l1_loss(x, y, reduction=reduction),
    "huber": lambda x, y, *, delta, reduction: F.huber_loss(x, y, delta=delta, reduction=reduction),
    "smooth_l1": lambda x, y, *, beta, reduction: F.smooth_l1_loss(
        x, y, beta=beta, reduction=reduction
    ),
    "log_cosh": log_cosh,
    "quantile": quantile,
    "gaussian_nll": lambda mean, y, var, *, full, eps, reduction: F.gaussian_nll_loss(
        mean, y, var, full=full, eps=eps, reduction=reduction
    ),
    "poisson_nll": lambda x, y, *, log_input, full, eps, reduction: F.poisson_nll_loss(
        x, y, log_input=log_input, full=full, eps=eps, reduction=reduction
    ),
    "bce": bce,
    "bce_with_logits": bce_with_logits,
    "weighted_bce": lambda p, y, *, w1, w0, reduction: F.binary_cross_entropy(
        p, y, weight=w1 * y + w0 * (1 - y), reduction=reduction
    ),
    "sigmoid_focal": sigmoid_focal,
    "hinge": hinge,
    "squared_hinge": squared_hinge,
    "cross_entropy": lambda z, y, *, label_smoothing, weight=None, ignore_index=-100,
    reduction: F.cross_entropy(
        z, y, weight=_tensor_or_none(weight, z), ignore_index=ignore_index,
        label_smoothing=label_smoothing, reduction=reduction,
    ),
    "categorical_cross_entropy": categorical_cross_entropy,
    "nll": lambda z, y, *, weight=None, ignore_index=-100, reduction: F.nll_loss(
        z, y, weight=_tensor_or_none(weight, z), ignore_index=ignore_index, reduction=reduction
    ),
    "multi_margin": lambda s, y, *, p, margin, weight=None, reduction: F.multi_margin_loss(
        s, y, p=p, margin=margin, weight=_tensor_or_none(weight, s), reduction=reduction
    ),
    "softmax_focal": softmax_focal,
    "kl_divergence": kl_divergence,
    "kl_div": kl_div,
    "cosine_similarity_loss": lambda a, b, *, eps, reduction: _reduce(
        1 - F.cosine_similarity(a, b, dim=-1, eps=eps), reduction
    ),
    "triplet_margin": triplet_margin,
    "info_nce": info_nce,
    "symmetric_info_nce": symmetric_info_nce,
    "nt_xent": nt_xent,
}

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "log_sigmoid": F.logsigmoid,
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "log_softmax": lambda z: torch.log_softmax(z, dim=-1),
}

