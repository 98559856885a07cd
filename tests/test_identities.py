"""Relations between losses that the book states, checked on random inputs."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook
from tests.torch_reference import ACTIVATIONS


def test_huber_is_delta_times_smooth_l1(rng):
    pred, target = rng.normal(size=(2, 50)) * 3
    for delta in (0.1, 1.0, 4.0):
        np.testing.assert_allclose(
            lossbook.huber(pred, target, delta=delta, reduction="none"),
            delta * lossbook.smooth_l1(pred, target, beta=delta, reduction="none"),
            rtol=1e-12,
        )


def test_focal_with_gamma_zero_and_no_alpha_is_bce_with_logits(rng):
    logits = rng.normal(size=40) * 4
    target = rng.integers(0, 2, size=40).astype(float)
    for fn in ("sigmoid_focal", "sigmoid_focal_grad"):
        focal = getattr(lossbook, fn)(logits, target, alpha=-1, gamma=0, reduction="none")
        bce = getattr(lossbook, fn.replace("sigmoid_focal", "bce_with_logits"))(
            logits, target, reduction="none")
        np.testing.assert_allclose(focal, bce, rtol=1e-12)


def test_logits_form_equals_sigmoid_then_bce_away_from_the_clamp(rng):
    logits = rng.normal(size=40) * 3
    target = rng.random(40)
    np.testing.assert_allclose(
        lossbook.bce_with_logits(logits, target, reduction="none"),
        lossbook.bce(lossbook.sigmoid(logits), target, reduction="none"),
        rtol=1e-10,
    )


def test_weighted_bce_is_pos_weight_bce_scaled_by_w0(rng):
    logits = rng.normal(size=40) * 2
    target = rng.integers(0, 2, size=40).astype(float)
    w1, w0 = 9.0, 0.5
    np.testing.assert_allclose(
        lossbook.weighted_bce(lossbook.sigmoid(logits), target, w1=w1, w0=w0, reduction="none"),
        w0 * lossbook.bce_with_logits(logits, target, pos_weight=w1 / w0, reduction="none"),
        rtol=1e-10,
    )


def test_cross_entropy_is_nll_of_log_softmax(rng):
    logits = rng.normal(size=(8, 5)) * 3
    target = rng.integers(0, 5, size=8)
    assert lossbook.cross_entropy(logits, target) == pytest.approx(
        lossbook.nll(lossbook.log_softmax(logits), target), rel=1e-13)


def test_index_and_one_hot_targets_agree(rng):
    logits = rng.normal(size=(8, 5))
    target = rng.integers(0, 5, size=8)
    one_hot = np.eye(5)[target]
    for fn in (lossbook.cross_entropy, lossbook.cross_entropy_grad):
        np.testing.assert_allclose(fn(logits, target, label_smoothing=0.1),
                                   fn(logits, one_hot, label_smoothing=0.1), rtol=1e-12)
    np.testing.assert_allclose(
        lossbook.categorical_cross_entropy(lossbook.softmax(logits), one_hot),
        lossbook.cross_entropy(logits, target), rtol=1e-12)


def test_cross_entropy_decomposes_into_entropy_plus_kl(rng):
    p = rng.dirichlet(np.ones(5), size=4)
    q = rng.dirichlet(np.ones(5), size=4)
    entropy = -(p * np.log(p)).sum() / 4
    assert lossbook.categorical_cross_entropy(q, p) == pytest.approx(
        entropy + lossbook.kl_divergence(q, p), rel=1e-12)


def test_gaussian_nll_with_unit_variance_is_half_mse(rng):
    mean, target = rng.normal(size=(2, 30))
    assert lossbook.gaussian_nll(mean, target, np.ones(30)) == pytest.approx(
        0.5 * lossbook.mse(mean, target), rel=1e-13)


def test_quantile_at_one_half_is_half_mae(rng):
    pred, target = rng.normal(size=(2, 30))
    assert lossbook.quantile(pred, target, q=0.5) == pytest.approx(
        0.5 * lossbook.mae(pred, target), rel=1e-13)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("scale", [1.0, 50.0, 1e4])
def test_activations_match_torch(name, scale, rng):
    z = rng.normal(size=(5, 7)) * scale
    expected = ACTIVATIONS[name](torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(getattr(lossbook, name)(z), expected, rtol=1e-12, atol=1e-300)


def test_activation_derivatives_match_autograd(rng):
    z = rng.normal(size=(5, 7)) * 3
    v = rng.normal(size=(5, 7))
    zt = torch.from_numpy(z).requires_grad_(True)
    vt = torch.from_numpy(v)
    pairs = [
        (lossbook.sigmoid_grad(z) * v, torch.sigmoid(zt)),
        (lossbook.log_sigmoid_grad(z) * v, F.logsigmoid(zt)),
        (lossbook.softmax_vjp(z, v), torch.softmax(zt, -1)),
        (lossbook.log_softmax_vjp(z, v), torch.log_softmax(zt, -1)),
    ]
    for ours, out in pairs:
        (expected,) = torch.autograd.grad(out, zt, grad_outputs=vt)
        np.testing.assert_allclose(ours, expected.numpy(), rtol=1e-12, atol=1e-15)


def test_kink_conventions():
    """At a kink the gradient is one documented choice; these are lossbook's."""
    zero = np.zeros(1)
    assert lossbook.mae_grad(zero, zero)[0] == 0  # sign(0), as torch
    assert lossbook.quantile_grad(zero, zero, q=0.9)[0] == pytest.approx(0.5 - 0.9)
    assert lossbook.hinge_grad(np.ones(1), np.ones(1))[0] == 0  # exactly at the margin
    assert lossbook.huber_grad(np.ones(1), zero, delta=1.0)[0] == 1.0  # continuous there


def test_log_cosh_equals_the_naive_formula_where_that_is_accurate(rng):
    e = rng.uniform(1e-3, 50, size=200) * rng.choice([-1, 1], size=200)
    np.testing.assert_allclose(lossbook.log_cosh(e, np.zeros(200), reduction="none"),
                               np.log(np.cosh(e)), rtol=1e-12)
    tiny = np.array([1e-9, 3e-12])  # where log(cosh e) rounds to 0, e^2 / 2 is the answer
    np.testing.assert_allclose(lossbook.log_cosh(tiny, np.zeros(2), reduction="none"),
                               tiny**2 / 2, rtol=1e-12)
