"""PyTorch references for every loss in the catalog, keyed by catalog name.

Where PyTorch has the loss, the reference is that function. Where it has none (log-cosh,
quantile, focal, hinge, categorical cross-entropy on probabilities, InfoNCE), the
reference is the formula of the cited paper written in torch operations, independently
of lossbook's NumPy code. Each takes torch tensors (the prediction first), the loss's
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
    if alpha >= 0:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return _reduce(loss, reduction)


def hinge(scores, target, *, margin, reduction):
    return _reduce(torch.clamp(margin - target * scores, min=0), reduction)


def squared_hinge(scores, target, *, margin, reduction):
    return _reduce(torch.clamp(margin - target * scores, min=0) ** 2, reduction)


def categorical_cross_entropy(probs, target, *, reduction):
    return _reduce(-(target * torch.log(probs).clamp(min=-100)).sum(1), reduction)


def kl_divergence(q, p, *, reduction):
    with warnings.catch_warnings():
        # torch warns that its "mean" is not the KL per distribution; lossbook documents it
        warnings.filterwarnings("ignore", message="reduction: 'mean'")
        return F.kl_div(torch.log(q), p, reduction=reduction)


def info_nce(queries, keys, *, temperature, reduction):
    logits = F.normalize(queries, dim=-1) @ F.normalize(keys, dim=-1).T / temperature
    return F.cross_entropy(logits, torch.arange(len(queries)), reduction=reduction)


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
    "poisson_nll": lambda x, y, *, log_input, full, reduction: F.poisson_nll_loss(
        x, y, log_input=log_input, full=full, reduction=reduction
    ),
    "bce": lambda p, y, *, reduction: F.binary_cross_entropy(p, y, reduction=reduction),
    "bce_with_logits": lambda z, y, *, pos_weight, reduction: F.binary_cross_entropy_with_logits(
        z, y, pos_weight=torch.as_tensor(pos_weight, dtype=z.dtype), reduction=reduction
    ),
    "weighted_bce": lambda p, y, *, w1, w0, reduction: F.binary_cross_entropy(
        p, y, weight=w1 * y + w0 * (1 - y), reduction=reduction
    ),
    "sigmoid_focal": sigmoid_focal,
    "hinge": hinge,
    "squared_hinge": squared_hinge,
    "cross_entropy": lambda z, y, *, label_smoothing, weight=None, reduction: F.cross_entropy(
        z, y, weight=_tensor_or_none(weight, z), label_smoothing=label_smoothing,
        reduction=reduction,
    ),
    "categorical_cross_entropy": categorical_cross_entropy,
    "nll": lambda z, y, *, weight=None, reduction: F.nll_loss(
        z, y, weight=_tensor_or_none(weight, z), reduction=reduction
    ),
    "multi_margin": lambda s, y, *, p, margin, weight=None, reduction: F.multi_margin_loss(
        s, y, p=p, margin=margin, weight=_tensor_or_none(weight, s), reduction=reduction
    ),
    "kl_divergence": kl_divergence,
    "cosine_similarity_loss": lambda a, b, *, reduction: _reduce(
        1 - F.cosine_similarity(a, b, dim=-1, eps=1e-8), reduction
    ),
    "triplet_margin": lambda a, p, n, *, margin, reduction: F.triplet_margin_loss(
        a, p, n, margin=margin, reduction=reduction
    ),
    "info_nce": info_nce,
}

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "log_sigmoid": F.logsigmoid,
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "log_softmax": lambda z: torch.log_softmax(z, dim=-1),
}

