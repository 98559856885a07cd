r"""What the chapters that train networks judge a loss by, beside the loss itself.

A loss is what training minimises; a model is judged by what it is for. Several chapters
measure the same things, so they are defined once here, in NumPy: how well predicted
probabilities are calibrated (:func:`reliability` and :func:`expected_calibration_error`),
how often the nearest neighbour in an embedding has the right label
(:func:`nearest_neighbour_accuracy`) and how often a prediction interval holds the truth
(:func:`coverage`). Average precision and the precision–recall curve come from
scikit-learn (``sklearn.metrics.average_precision_score``, ``precision_recall_curve``).

Examples:
    >>> p = np.array([0.9, 0.8, 0.3, 0.6])
    >>> print(f"{expected_calibration_error(p, np.array([1, 1, 0, 0]), bins=2):.3f}")
    0.150
"""

from __future__ import annotations

import numpy as np

__all__ = ["reliability", "expected_calibration_error", "nearest_neighbour_accuracy",
           "coverage"]


def _confidence(probs, target):
    """(confidence, correct) for binary probabilities ``(N,)`` of class 1 or class
    probabilities ``(N, C)``."""
    probs = np.asarray(probs, dtype=np.float64)
    target = np.asarray(target)
    if probs.ndim == 1:
        confidence = probs
        correct = target.astype(np.float64)
    elif probs.ndim == 2:
        confidence = probs.max(1)
        correct = (probs.argmax(1) == target).astype(np.float64)
    else:
        raise ValueError(f"probs must have shape (N,) or (N, C), got shape {probs.shape}")
    if len(target) != len(probs):
        raise ValueError(f"target must have {len(probs)} entries like probs, got {len(target)}")
    return confidence, correct


def reliability(probs, target, *, bins=10):
    """The reliability diagram's points: per bin of confidence, its mean confidence, the
    observed frequency and the number of examples (empty bins are left out).

    For binary probabilities ``(N,)`` the confidence is the probability of class 1 and the
    frequency is that of label 1; for class probabilities ``(N, C)`` the confidence is the
    largest probability and the frequency is that of a correct guess (the top-label form).
    Bins are equal-width on [0, 1].
    """
    if bins < 1:
        raise ValueError(f"bins must be >= 1, got {bins}")
    confidence, correct = _confidence(probs, target)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    count = np.bincount(which, minlength=bins)
    kept = count > 0
    mean_conf = np.bincount(which, confidence, bins)[kept] / count[kept]
    freq = np.bincount(which, correct, bins)[kept] / count[kept]
    return mean_conf, freq, count[kept]


def expected_calibration_error(probs, target, *, bins=10):
    r"""The expected calibration error: :math:`\sum_b \frac{n_b}{N}\,
    \lvert \text{frequency}_b - \text{confidence}_b\rvert` over the bins of
    :func:`reliability` (Guo et al. 2017 for class probabilities)."""
    mean_conf, freq, count = reliability(probs, target, bins=bins)
    return float(np.sum(count * np.abs(freq - mean_conf)) / np.sum(count))


def nearest_neighbour_accuracy(queries, query_labels, references, reference_labels):
    """The share of ``queries`` whose nearest row of ``references`` (Euclidean) has the same
    label. Pass the same array twice for leave-one-out accuracy within one set."""
    q = np.asarray(queries, dtype=np.float64)
    r = np.asarray(references, dtype=np.float64)
    d = (q * q).sum(1)[:, None] - 2 * q @ r.T + (r * r).sum(1)[None, :]
    if q.shape == r.shape and np.array_equal(q, r):
        np.fill_diagonal(d, np.inf)   # leave one out
    guess = np.asarray(reference_labels)[d.argmin(1)]
    return float(np.mean(guess == np.asarray(query_labels)))


def coverage(lower, upper, target):
    """The share of targets inside their interval ``[lower, upper]``."""
    lower, upper, target = (np.asarray(a, dtype=np.float64) for a in (lower, upper, target))
    return float(np.mean((lower <= target) & (target <= upper)))
