"""Ordinal losses: the properties the catalog-wide suites do not reach.

The cumulative link's probabilities form a distribution over the grades when the
cut-points are ordered, and unordered cut-points are refused everywhere (NumPy loss,
gradient, probabilities and the torch version); with two grades both losses are binary
cross-entropy; CORAL's probabilities fall with the boundary when the boundaries share one
weight vector and the biases fall.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook
from lossbook import torch_losses
from lossbook.ordinal import cumulative_link_probs, levels


def ordered(rng, k, scale=1.0):
    return np.cumsum(rng.uniform(0.05, 2.0, size=k)) * scale + rng.normal() * scale


@settings(deadline=None, max_examples=80)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6),
       scale=st.sampled_from([1e-6, 1.0, 30.0, 1e3]))
def test_cumulative_probabilities_are_a_distribution(seed, k, scale):
    """Ordered cut-points, scores from tiny to 1e3: every probability in [0, 1], rows sum
    to 1, and the loss is minus the log of the target's probability."""
    rng = np.random.default_rng(seed)
    theta = ordered(rng, k, scale)
    eta = rng.normal(size=7) * scale
    p = cumulative_link_probs(eta, theta)
    assert p.shape == (7, k + 1)
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    target = rng.integers(0, k + 1, size=7)
    loss = lossbook.cumulative_link(eta, target, theta, reduction="none")
    assert np.all(np.isfinite(loss)) and np.all(loss >= 0)
    p_target = p[np.arange(7), target]
    kept = p_target > 1e-6  # where the difference of probabilities is still accurate
    np.testing.assert_allclose(np.exp(-loss[kept]), p_target[kept], rtol=1e-8)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6), tie=st.booleans())
def test_unordered_cutpoints_raise_everywhere(seed, k, tie):
    """A cut-point at or below the one before would give a grade a probability <= 0: the
    loss, its gradient, the probabilities and the torch version all refuse it."""
    rng = np.random.default_rng(seed)
    theta = ordered(rng, k)
    j = int(rng.integers(1, k))
    theta[j] = theta[j - 1] if tie else theta[j - 1] - rng.uniform(0.01, 1.0)
    eta, target = rng.normal(size=5), rng.integers(0, k + 1, size=5)
    message = re.escape(f"cutpoints must be strictly increasing, got cutpoints[{j - 1}]")
    for call in (lambda: lossbook.cumulative_link(eta, target, theta),
                 lambda: lossbook.cumulative_link_grad(eta, target, theta, wrt="cutpoints"),
                 lambda: cumulative_link_probs(eta, theta)):
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(ValueError, match="cutpoints must be strictly increasing"):
        torch_losses.cumulative_link(torch.from_numpy(eta), torch.from_numpy(target),
                                     torch.from_numpy(theta))


@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([1e-3, 1.0, 100.0]))
def test_two_grades_are_binary_cross_entropy(seed, scale):
    """With K = 2 the cumulative link is BCE on the logit eta - theta_0, and CORAL is BCE
    on its one logit: both are the binary case of their ordinal model."""
    rng = np.random.default_rng(seed)
    eta, theta = rng.normal(size=6) * scale, rng.normal(size=1) * scale
    y = rng.integers(0, 2, size=6)
    np.testing.assert_allclose(
        lossbook.cumulative_link(eta, y, theta, reduction="none"),
        lossbook.bce_with_logits(eta - theta[0], y.astype(float), reduction="none"),
        rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        lossbook.cumulative_link_grad(eta, y, theta, reduction="none"),
        lossbook.bce_with_logits_grad(eta - theta[0], y.astype(float), reduction="none"),
        rtol=1e-12, atol=1e-15)
    z = eta[:, None]
    np.testing.assert_allclose(
        lossbook.coral(z, y, reduction="none"),
        lossbook.bce_with_logits(z, y[:, None].astype(float), reduction="none")[:, 0],
        rtol=1e-12, atol=1e-300)


@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6))
def test_confident_right_answers_cost_almost_nothing(seed, k):
    """A score far inside the target grade (cut-points 40 apart) or CORAL logits of +-40 on
    the right side of every boundary: the loss is below 1e-4 per example, and the
    gradient pushes no further than that."""
    rng = np.random.default_rng(seed)
    theta = np.arange(k) * 40.0
    target = rng.integers(0, k + 1, size=6)
    centre = np.concatenate([[-20.0], (theta[1:] + theta[:-1]) / 2, [theta[-1] + 20]])
    eta = centre[target]
    assert np.all(lossbook.cumulative_link(eta, target, theta, reduction="none") < 1e-4)
    assert np.all(np.abs(lossbook.cumulative_link_grad(eta, target, theta,
                                                       reduction="none")) < 1e-4)
    logits = np.where(levels(target, k + 1) == 1, 40.0, -40.0)
    assert np.all(lossbook.coral(logits, target, reduction="none") < 1e-4)
    assert np.all(np.abs(lossbook.coral_grad(logits, target)) < 1e-4)


@settings(deadline=None, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6))
def test_shared_weights_and_falling_biases_are_rank_consistent(seed, k):
    """z_k = s + b_k with b non-increasing: sigma(z_k) never rises with k, so the grade
    read as the count of boundaries passed equals the first boundary not passed."""
    rng = np.random.default_rng(seed)
    s = rng.normal(size=(9, 1)) * 3
    b = -np.sort(rng.normal(size=k)) * 2  # non-increasing
    p = lossbook.sigmoid(s + b)
    assert np.all(np.diff(p, axis=1) <= 0)
    passed = (p > 0.5).sum(axis=1)
    first_not = np.argmax(np.concatenate([p <= 0.5, np.ones((9, 1), bool)], axis=1), axis=1)
    np.testing.assert_array_equal(passed, first_not)


BAD = [
    (lossbook.cumulative_link, (np.zeros(3), np.array([0, 1, 3]), np.array([-1.0, 1.0])),
     "target must hold grades in [0, 2], got 3"),
    (lossbook.cumulative_link, (np.zeros(3), np.array([0, 1]), np.array([-1.0, 1.0])),
     "target must hold one grade per example, expected shape (3,), got (2,)"),
    (lossbook.cumulative_link, (np.zeros((3, 1)), np.array([0, 1, 2]), np.array([0.0])),
     "scores must have shape (N,), one score per example, got (3, 1)"),
    (lossbook.cumulative_link, (np.zeros(3), np.array([0, 1, 0]), np.zeros(0)),
     "cutpoints must have shape (K-1,) with K >= 2 grades, got (0,)"),
    (lossbook.cumulative_link, (np.zeros(2), np.array([0.0, 1.0]), np.array([0.0])),
     "target must hold integer class indices, got dtype float64"),
    (lossbook.cumulative_link, (np.zeros(2), np.array([0, 1]), np.array([1.0, 0.5])),
     "cutpoints must be strictly increasing, got cutpoints[0] = 1.0 >= cutpoints[1] = 0.5"),
    (lossbook.coral, (np.zeros((2, 3)), np.array([0, 4])),
     "target must hold grades in [0, 3], got 4"),
    (lossbook.coral, (np.zeros(3), np.array([0, 1, 2])),
     "logits must have shape (N, K-1), one column per boundary between K >= 2 grades, "
     "got (3,)"),
    (lossbook.coral, (np.zeros((2, 3)), np.array([0, 1])),
     "weight must have one entry per boundary, expected shape (3,), got (2,)", "weight2"),
    (lossbook.coral, (np.zeros((2, 3)), np.array([0, 1])),
     "weight must be >= 0, got -1.0", "negative"),
]
WEIGHTS = {"weight2": np.ones(2), "negative": np.array([1.0, -1.0, 1.0])}


@pytest.mark.parametrize("case", BAD, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(BAD)])
def test_bad_input_raises_a_clear_error(case):
    fn, args, message = case[:3]
    kwargs = {"weight": WEIGHTS[case[3]]} if len(case) > 3 else {}
    for f in (fn, getattr(lossbook, f"{fn.__name__}_grad")):
        with pytest.raises((ValueError, TypeError), match=re.escape(message)):
            f(*args, **kwargs)


def test_nan_cutpoints_propagate():
    """NaN is let through, as everywhere in lossbook: it makes the value NaN."""
    value = lossbook.cumulative_link(np.zeros(2), np.array([1, 2]),
                                     np.array([0.0, np.nan, 2.0]), reduction="none")
    assert np.isnan(value).all()


def test_infinite_scores_give_the_limits_without_warnings():
    """A score of +inf puts all the probability on the top grade, -inf on the bottom one:
    the loss there is 0 and its gradients are 0, every other grade costs +inf, and no
    inf - inf turns into NaN (nor into a warning, which the suite turns into an error)."""
    import warnings
    eta = np.array([np.inf, -np.inf, np.inf, -np.inf, 0.5])
    target = np.array([3, 0, 1, 2, 2])
    theta = np.array([-1.0, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = lossbook.cumulative_link(eta, target, theta, reduction="none")
        grads = [lossbook.cumulative_link_grad(eta, target, theta, reduction="none",
                                               wrt=w) for w in ("scores", "cutpoints")]
    np.testing.assert_array_equal(value[:4], [0.0, 0.0, np.inf, np.inf])
    assert np.isfinite(value[4])
    np.testing.assert_array_equal(grads[0][:2], [0.0, 0.0])
    assert not np.isnan(grads[0]).any() and not np.isnan(grads[1]).any()
