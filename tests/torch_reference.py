"""PyTorch references for every loss in the catalog, keyed by catalog name.

Where PyTorch has the loss, the reference is that function. Where it has none (log-cosh,
quantile, focal, hinge, categorical cross-entropy on probabilities, InfoNCE and its
symmetric and NT-Xent forms, distillation, the ordinal cumulative link and CORAL, the overlap
losses of segmentation, the pairwise contrastive loss), the reference is :mod:`lossbook.torch_losses`: the formula of
the cited paper written in torch operations, independently of lossbook's NumPy code, and the
version the chapters train with. Each takes torch tensors (the prediction first), the loss's
keyword arguments and ``reduction``.
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from lossbook.torch_losses import (
    categorical_cross_entropy,
    contrastive,
    coral,
    cumulative_link,
    dice_bce,
    distillation,
    focal_tversky,
    hinge,
    info_nce,
    log_cosh,
    nt_xent,
    quantile,
    sigmoid_focal,
    smooth_binary_labels,
    soft_dice,
    softmax_focal,
    squared_hinge,
    symmetric_info_nce,
    tversky,
)


def _reduce(terms, reduction):
    if reduction == "mean":
        return terms.mean()
    if reduction == "sum":
        return terms.sum()
    return terms


def _tensor_or_none(weight, like):
    return None if weight is None else torch.as_tensor(weight, dtype=like.dtype)


def bce(probs, target, *, weight=None, label_smoothing=0.0, reduction):
    return F.binary_cross_entropy(probs, smooth_binary_labels(target, label_smoothing),
                                  weight=_tensor_or_none(weight, probs), reduction=reduction)


def bce_with_logits(logits, target, *, pos_weight, weight=None, label_smoothing=0.0, reduction):
    return F.binary_cross_entropy_with_logits(
        logits, smooth_binary_labels(target, label_smoothing),
        weight=_tensor_or_none(weight, logits), pos_weight=_tensor_or_none(pos_weight, logits), reduction=reduction)


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


def ctc(logits, targets, input_lengths, target_lengths, *, blank, zero_infinity, reduction):
    # through log_softmax in the graph: PyTorch's CTC backward is right only that way
    return F.ctc_loss(torch.log_softmax(logits, -1), targets, input_lengths, target_lengths,
                      blank=blank, zero_infinity=zero_infinity, reduction=reduction)


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
    "distillation": distillation,
    "cumulative_link": cumulative_link,
    "coral": coral,
    "soft_dice": soft_dice,
    "tversky": tversky,
    "focal_tversky": focal_tversky,
    "dice_bce": dice_bce,
    "contrastive": contrastive,
    "cosine_embedding": lambda x1, x2, y, *, margin, reduction: F.cosine_embedding_loss(
        x1, x2, y, margin=margin, reduction=reduction
    ),
    "margin_ranking": lambda x1, x2, y, *, margin, reduction: F.margin_ranking_loss(
        x1, x2, y, margin=margin, reduction=reduction
    ),
    "ctc": ctc,
    "hinge_embedding": lambda x, y, *, margin, reduction: F.hinge_embedding_loss(
        x, y, margin=margin, reduction=reduction
    ),
}

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "log_sigmoid": F.logsigmoid,
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "log_softmax": lambda z: torch.log_softmax(z, dim=-1),
}

