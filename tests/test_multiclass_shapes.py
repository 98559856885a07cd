"""Cross-entropy in every form PyTorch accepts: probability targets, (N, C, d1, ...),
ignore_index, a single example; checked against torch.nn.functional.cross_entropy."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook
from tests.test_against_torch import FLOAT64_RTOL, assert_close

WEIGHT = np.array([0.2, 1.0, 3.0, 0.7])


def torch_ce(logits, target, **kwargs):
    z = torch.from_numpy(logits).requires_grad_(True)
    t = torch.from_numpy(target)
    if "weight" in kwargs and kwargs["weight"] is not None:
        kwargs["weight"] = torch.from_numpy(kwargs["weight"])
    out = F.cross_entropy(z, t, **kwargs)
    (grad,) = torch.autograd.grad(out.sum(), z)
    return out.detach().numpy(), grad.numpy()


def check(logits, target, **kwargs):
    expected_value, expected_grad = torch_ce(logits, target, **dict(kwargs))
    assert_close(lossbook.cross_entropy(logits, target, **kwargs), expected_value, FLOAT64_RTOL)
    assert_close(lossbook.cross_entropy_grad(logits, target, **kwargs), expected_grad, FLOAT64_RTOL)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [None, WEIGHT])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_probability_targets(rng, reduction, weight, label_smoothing):
    logits = rng.normal(size=(5, 4))
    target = rng.dirichlet(np.ones(4), size=5)
    check(logits, target, reduction=reduction, weight=weight, label_smoothing=label_smoothing)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [None, WEIGHT])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_spatial_inputs_with_ignored_positions(rng, reduction, weight, label_smoothing):
    logits = rng.normal(size=(2, 4, 3, 5))  # (N, C, d1, d2)
    target = rng.integers(0, 4, size=(2, 3, 5))
    target[0, 1, :3] = -100  # padding
    check(logits, target, reduction=reduction, weight=weight, label_smoothing=label_smoothing)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_spatial_probability_targets(rng, reduction):
    logits = rng.normal(size=(2, 4, 6))
    target = np.moveaxis(rng.dirichlet(np.ones(4), size=(2, 6)), -1, 1)
    check(logits, target, reduction=reduction, label_smoothing=0.1)


def test_custom_ignore_index(rng):
    logits = rng.normal(size=(6, 4))
    target = np.array([0, 1, 7, 3, 7, 2])
    check(logits, target, ignore_index=7, weight=WEIGHT, label_smoothing=0.1)


def test_single_example_without_batch_axis(rng):
    logits = rng.normal(size=4)
    check(logits, np.array(2))
    check(logits, rng.dirichlet(np.ones(4)))


def test_all_targets_ignored_gives_nan_like_torch(rng):
    logits = rng.normal(size=(3, 4))
    target = np.full(3, -100)
    with np.errstate(invalid="ignore"):
        assert np.isnan(lossbook.cross_entropy(logits, target))
    assert torch.isnan(F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(target)))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_on_spatial_inputs_with_ignore_index(rng, reduction):
    log_probs = lossbook.log_softmax(rng.normal(size=(3, 4, 5)), axis=1)
    target = rng.integers(0, 4, size=(3, 5))
    target[1, 2] = -100
    z = torch.from_numpy(log_probs).requires_grad_(True)
    out = F.nll_loss(z, torch.from_numpy(target), weight=torch.from_numpy(WEIGHT),
                     reduction=reduction)
    (grad,) = torch.autograd.grad(out.sum(), z)
    assert_close(lossbook.nll(log_probs, target, weight=WEIGHT, reduction=reduction),
                 out.detach().numpy(), FLOAT64_RTOL)
    assert_close(lossbook.nll_grad(log_probs, target, weight=WEIGHT, reduction=reduction),
                 grad.numpy(), FLOAT64_RTOL)
