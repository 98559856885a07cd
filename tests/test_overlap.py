"""The overlap losses of segmentation on their edges: empty masks, perfect predictions,
the identities between them, bad input, and the synthetic data set of their chapter."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook
from lossbook.data import small_objects

RATIOS = ["soft_dice", "tversky", "focal_tversky"]


def masks(seed, shape=(4, 5, 6), share=0.3):
    rng = np.random.default_rng(seed)
    return (rng.random(shape) < share).astype(float), rng


@pytest.mark.parametrize("name", RATIOS)
@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), smooth=st.sampled_from([0.0, 1e-6, 1.0]))
def test_a_perfect_prediction_costs_nothing(name, seed, smooth):
    """p = t gives 0 for every image that has foreground (and, with smooth > 0, for an
    empty one too: s / s = 1)."""
    target, _ = masks(seed)
    target[0] = 1.0
    if smooth == 0:
        target[:, 0, 0] = 1.0  # no empty image: 0/0 there
    value = getattr(lossbook, name)(target, target, smooth=smooth, reduction="none")
    np.testing.assert_allclose(value, 0.0, atol=1e-12)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), smooth=st.sampled_from([1e-6, 1e-3, 1.0]))
def test_the_dice_gradient_on_an_empty_mask_is_s_over_the_squared_total(seed, smooth):
    """An empty target: every pixel's gradient is s / (sum p + s)^2, so 1/s at p = 0."""
    _, rng = masks(seed)
    probs = rng.uniform(0, 0.05, size=(3, 8, 8))
    probs[0] = 0.0
    target = np.zeros_like(probs)
    grad = lossbook.soft_dice_grad(probs, target, smooth=smooth, reduction="sum")
    expected = smooth / (probs.sum((1, 2)) + smooth) ** 2
    np.testing.assert_allclose(grad, np.broadcast_to(expected[:, None, None], grad.shape),
                               rtol=1e-12)
    assert grad[0, 0, 0] == pytest.approx(1 / smooth)


def test_empty_target_and_empty_prediction_without_smoothing_is_nan():
    with np.errstate(invalid="ignore"):
        assert np.isnan(lossbook.soft_dice(np.zeros((1, 4)), np.zeros((1, 4)), smooth=0.0))
    assert lossbook.soft_dice(np.zeros((1, 4)), np.zeros((1, 4)), smooth=1.0) == 0


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), smooth=st.sampled_from([0.1, 1.0]))
def test_tversky_with_halves_is_dice_with_twice_the_smoothing(seed, smooth):
    target, rng = masks(seed)
    probs = rng.random(target.shape)
    np.testing.assert_allclose(
        lossbook.tversky(probs, target, alpha=0.5, beta=0.5, smooth=smooth, reduction="none"),
        lossbook.soft_dice(probs, target, smooth=2 * smooth, reduction="none"), rtol=1e-12)


def test_tversky_with_ones_is_the_soft_jaccard_loss():
    target, rng = masks(1)
    probs = rng.random(target.shape)
    inter = (probs * target).sum((1, 2))
    union = probs.sum((1, 2)) + target.sum((1, 2)) - inter
    np.testing.assert_allclose(
        lossbook.tversky(probs, target, alpha=1.0, beta=1.0, smooth=0.0, reduction="none"),
        1 - inter / union, rtol=1e-12)


def test_focal_tversky_with_gamma_one_is_tversky():
    target, rng = masks(2)
    probs = rng.random(target.shape)
    kw = {"alpha": 0.3, "beta": 0.7, "smooth": 0.5}
    np.testing.assert_allclose(lossbook.focal_tversky(probs, target, gamma=1.0, **kw),
                               lossbook.tversky(probs, target, **kw), rtol=1e-12)


def test_a_larger_beta_makes_a_missed_pixel_cost_more_than_a_false_alarm():
    target = np.array([[1.0, 1.0, 0.0, 0.0]])
    missed = np.array([[1.0, 0.0, 0.0, 0.0]])
    false_alarm = np.array([[1.0, 1.0, 1.0, 0.0]])
    kw = {"alpha": 0.3, "beta": 0.7, "smooth": 0.0}
    assert lossbook.tversky(missed, target, **kw) > lossbook.tversky(false_alarm, target, **kw)


def test_multiclass_is_the_mean_of_the_per_class_binary_terms():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(2, 3, 4, 5))
    probs = lossbook.softmax(z, axis=1)
    target = np.eye(3)[rng.integers(0, 3, size=(2, 4, 5))].transpose(0, 3, 1, 2)
    per_class = np.stack([lossbook.soft_dice(probs[:, c], target[:, c], reduction="none")
                          for c in range(3)], axis=1)
    np.testing.assert_allclose(lossbook.soft_dice(probs, target, multiclass=True,
                                                  reduction="none"),
                               per_class.mean(1), rtol=1e-12)


def test_dice_bce_is_the_sum_of_its_parts():
    target, rng = masks(4)
    z = rng.normal(size=target.shape) * 2
    bce = lossbook.bce_with_logits(z, target, reduction="none").mean((1, 2))
    dice = lossbook.soft_dice(lossbook.sigmoid(z), target, reduction="none")
    np.testing.assert_allclose(
        lossbook.dice_bce(z, target, dice_weight=0.5, reduction="none"), bce + 0.5 * dice,
        rtol=1e-12)


@pytest.mark.parametrize("fn, args, kwargs, message", [
    (lossbook.soft_dice, (np.full(3, 0.5), np.zeros(3)), {},
     "probs must have shape (N, ...): one image per entry of axis 0, got (3,)"),
    (lossbook.soft_dice, (np.full((2, 3), 0.5), np.zeros((2, 4))), {},
     "target must have the same shape as probs, expected (2, 3), got (2, 4)"),
    (lossbook.soft_dice, (np.full((2, 3), 1.5), np.zeros((2, 3))), {},
     "probs must be probabilities in [0, 1], got 1.5"),
    (lossbook.soft_dice, (np.full((2, 3), 0.5), np.zeros((2, 3))), {"smooth": -1.0},
     "smooth must be >= 0, got -1.0"),
    (lossbook.tversky, (np.full((2, 3), 0.5), np.zeros((2, 3))), {"beta": -0.1},
     "beta must be >= 0, got -0.1"),
    (lossbook.focal_tversky, (np.full((2, 3), 0.5), np.zeros((2, 3))), {"gamma": -2.0},
     "gamma must be >= 0, got -2.0"),
    (lossbook.dice_bce, (np.zeros((2, 3)), np.full((2, 3), 2.0)), {},
     "target must be probabilities in [0, 1], got 2.0"),
    (lossbook.dice_bce, (np.zeros(3), np.zeros(3)), {"multiclass": True},
     "logits must have shape (N, C, ...): classes on axis 1, got (3,)"),
])
def test_bad_input_raises_a_clear_error(fn, args, kwargs, message):
    for f in (fn, getattr(lossbook, f"{fn.__name__}_grad")):
        with pytest.raises(ValueError, match=re.escape(message)):
            f(*args, **kwargs)


def test_small_objects_is_reproducible_small_and_has_empty_images():
    x, y = small_objects(300, seed=5)
    x2, y2 = small_objects(300, seed=5)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert x.shape == y.shape == (300, 1, 24, 24)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert 0.01 < y.mean() < 0.05
    empty = (y.sum((1, 2, 3)) == 0).mean()
    assert 0.15 < empty < 0.35
    none = small_objects(20, seed=5, empty=1.0)[1]
    assert none.sum() == 0
    with pytest.raises(ValueError, match="empty must be in"):
        small_objects(5, seed=0, empty=1.5)


@pytest.mark.parametrize("gamma", [0.75, 2.0])
def test_focal_tversky_is_accurate_near_a_perfect_overlap(gamma):
    """Predictions within 1e-9 of the mask: 1 - TI is about 1e-10, and written as a
    difference it would keep only six digits, which the power (gamma - 1 < 0 in the
    gradient) carries into the result. The torch reference counts the misses directly."""
    import torch

    from lossbook import torch_losses

    target, rng = masks(7)
    target[:, 0, 0] = 1.0
    probs = np.abs(target - 1e-9 * rng.random(target.shape))
    kw = dict(gamma=gamma, smooth=0.0, reduction="sum")
    p = torch.tensor(probs, requires_grad=True)
    expected = torch_losses.focal_tversky(p, torch.tensor(target), **kw)
    expected.backward()
    np.testing.assert_allclose(lossbook.focal_tversky(probs, target, **kw),
                               expected.item(), rtol=1e-9)
    np.testing.assert_allclose(lossbook.focal_tversky_grad(probs, target, **kw),
                               p.grad.numpy(), rtol=1e-9)
