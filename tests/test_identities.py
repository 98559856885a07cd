"""Relations between losses that the book states, checked on random inputs."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook
from lossbook.catalog import by_name
from tests.inputs import draw_inputs
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


def test_softmax_focal_with_gamma_zero_and_no_alpha_is_cross_entropy(rng):
    logits = rng.normal(size=(8, 5)) * 3
    target = rng.integers(0, 5, size=8)
    for fn in ("softmax_focal", "softmax_focal_grad"):
        focal = getattr(lossbook, fn)(logits, target, alpha=None, gamma=0.0, reduction="none")
        ce = getattr(lossbook, fn.replace("softmax_focal", "cross_entropy"))(
            logits, target, reduction="none")
        np.testing.assert_allclose(focal, ce, rtol=1e-12, atol=1e-15)


def test_softmax_focal_with_alpha_scales_each_example_by_its_class(rng):
    logits = rng.normal(size=(8, 5))
    target = rng.integers(0, 5, size=8)
    alpha = np.array([0.1, 0.5, 1.0, 2.0, 4.0])
    np.testing.assert_allclose(
        lossbook.softmax_focal(logits, target, alpha=alpha, reduction="none"),
        alpha[target] * lossbook.softmax_focal(logits, target, reduction="none"), rtol=1e-13)


def test_probability_cross_entropy_with_index_targets_is_nll_of_log_probs(rng):
    probs = lossbook.softmax(rng.normal(size=(8, 5)))
    target = rng.integers(0, 5, size=8)
    target[2] = -100
    weight = np.array([0.2, 1.0, 3.0, 0.7, 1.5])
    for reduction in ("mean", "sum", "none"):
        np.testing.assert_allclose(
            lossbook.categorical_cross_entropy(probs, target, weight=weight, reduction=reduction),
            lossbook.nll(np.log(probs), target, weight=weight, reduction=reduction), rtol=1e-13)
    # unweighted, indices and one-hot rows are the same loss (weighted, their means differ)
    kept = target != -100
    np.testing.assert_allclose(
        lossbook.categorical_cross_entropy(probs[kept], target[kept]),
        lossbook.categorical_cross_entropy(probs[kept], np.eye(5)[target[kept]]), rtol=1e-13)


def test_kl_div_is_kl_divergence_on_log_probabilities(rng):
    q = rng.dirichlet(np.ones(5), size=4)
    p = rng.dirichlet(np.ones(5), size=4)
    for reduction in ("batchmean", "mean", "sum", "none"):
        expected = lossbook.kl_divergence(q, p, reduction=reduction)
        for log_target, target in ((False, p), (True, np.log(p))):
            np.testing.assert_allclose(
                lossbook.kl_div(np.log(q), target, log_target=log_target, reduction=reduction),
                expected, rtol=1e-12, atol=1e-15)
        # the chain rule through x = log q: d/dq = d/dx / q
        np.testing.assert_allclose(
            lossbook.kl_div_grad(np.log(q), p, reduction=reduction) / q,
            lossbook.kl_divergence_grad(q, p, reduction=reduction), rtol=1e-12)
        np.testing.assert_allclose(
            lossbook.kl_div_grad(np.log(q), p, reduction=reduction, wrt="target"),
            lossbook.kl_divergence_grad(q, p, reduction=reduction, wrt="p"), rtol=1e-12)


def test_symmetric_info_nce_averages_the_two_directions(rng):
    q, k = rng.normal(size=(2, 6, 4))
    both = (lossbook.info_nce(q, k, reduction="none") + lossbook.info_nce(k, q, reduction="none"))
    np.testing.assert_allclose(lossbook.symmetric_info_nce(q, k, reduction="none"), both / 2,
                               rtol=1e-12)
    np.testing.assert_allclose(
        lossbook.symmetric_info_nce_grad(q, k, wrt="keys"),
        (lossbook.info_nce_grad(q, k, wrt="keys") + lossbook.info_nce_grad(k, q)) / 2,
        rtol=1e-12)


def test_nt_xent_of_one_pair_is_zero_and_its_terms_swap_with_the_views(rng):
    v1, v2 = rng.normal(size=(2, 1, 3))
    assert lossbook.nt_xent(v1, v2) == 0  # a single pair: the positive is the only other view
    a, b = rng.normal(size=(2, 5, 3))
    terms = lossbook.nt_xent(a, b, reduction="none")
    np.testing.assert_allclose(lossbook.nt_xent(b, a, reduction="none"),
                               np.concatenate([terms[5:], terms[:5]]), rtol=1e-12)


def test_the_three_triplet_gradients_sum_to_zero(rng):
    """Moving anchor, positive and negative together changes no distance, with or without
    the swap, so the three gradients cancel."""
    a, p, n = rng.normal(size=(3, 6, 4))
    for norm in (1, 2, 3, np.inf):
        for swap in (False, True):
            total = sum(lossbook.triplet_margin_grad(a, p, n, p=norm, margin=5.0, swap=swap,
                                                     wrt=w)
                        for w in ("anchor", "positive", "negative"))
            np.testing.assert_allclose(total, 0, atol=1e-15)


def test_kink_conventions_of_the_margin_losses():
    """Exactly at a hinge lossbook's gradient is 0. PyTorch's multi_margin_loss agrees;
    its triplet_margin_loss (clamp_min, whose backward passes at the bound) does not, as
    the docstring says."""
    scores, label = np.array([[1.0, 0.0, -5.0]]), np.array([0])  # s_1 = s_y - margin
    s = torch.from_numpy(scores).requires_grad_(True)
    (expected,) = torch.autograd.grad(F.multi_margin_loss(s, torch.from_numpy(label)), s)
    assert np.array_equal(lossbook.multi_margin_grad(scores, label), expected.numpy())
    assert np.all(expected.numpy() == 0)
    anchor, positive, negative = np.zeros((1, 2)), np.array([[1.0, 0.0]]), np.array([[0.0, 2.0]])
    tensors = [torch.from_numpy(x).requires_grad_(True) for x in (anchor, positive, negative)]
    out = F.triplet_margin_loss(*tensors, margin=1.0, eps=0.0)  # d(a, p) - d(a, n) + 1 = 0
    for name, grad in zip(("anchor", "positive", "negative"), torch.autograd.grad(out, tensors)):
        ours = lossbook.triplet_margin_grad(anchor, positive, negative, eps=0.0, wrt=name)
        assert np.all(ours == 0) and np.any(grad.numpy() != 0), name
    # just off the kink, on the side where the loss is positive, the two agree again
    moved = anchor + [[0.0, 1e-9]]
    tensors[0] = torch.from_numpy(moved).requires_grad_(True)
    out = F.triplet_margin_loss(*tensors, margin=1.0, eps=0.0)
    (expected,) = torch.autograd.grad(out, tensors[0])
    np.testing.assert_allclose(lossbook.triplet_margin_grad(moved, positive, negative, eps=0.0),
                               expected.numpy(), rtol=1e-6)


def test_triplet_swap_shares_the_gradient_at_a_tie_as_torch_min_does(rng):
    """With the positive equal to the anchor, d(a, n) = d(p, n): PyTorch's min sends half
    of the gradient to each distance, and so does lossbook."""
    anchor, negative = rng.normal(size=(2, 5, 3))
    tensors = [torch.from_numpy(x).requires_grad_(True) for x in (anchor, anchor.copy(), negative)]
    out = F.triplet_margin_loss(*tensors, margin=10.0, swap=True)
    for name, grad in zip(("anchor", "positive", "negative"), torch.autograd.grad(out, tensors)):
        ours = lossbook.triplet_margin_grad(anchor, anchor.copy(), negative, margin=10.0,
                                            swap=True, wrt=name)
        np.testing.assert_allclose(ours, grad.numpy(), rtol=1e-10, atol=1e-15, err_msg=name)



@pytest.mark.parametrize("p", [float("inf"), 0.5, 1.0, 3.0])
def test_triplet_norm_gradient_at_ties_and_zero_entries_matches_torch(p):
    """Where the largest |difference| is shared (p = inf: PyTorch shares the gradient
    equally) or a difference is exactly 0 (p < 1: |0|^(p - 1) is infinite, PyTorch gives 0),
    lossbook's gradient is PyTorch's."""
    anchor = np.array([[0.0, 0.0, 0.5], [1.0, 2.0, 3.0]])
    positive = np.array([[1.0, -1.0, 0.5], [1.0, 0.0, 3.5]])  # ties in |a - p|, zero entries
    negative = np.array([[3.0, 3.0, -3.0], [-2.0, 4.0, 0.0]])
    tensors = [torch.from_numpy(x).requires_grad_(True) for x in (anchor, positive, negative)]
    out = F.triplet_margin_loss(*tensors, margin=10.0, p=p, eps=0.0)
    for name, grad in zip(("anchor", "positive", "negative"), torch.autograd.grad(out, tensors)):
        ours = lossbook.triplet_margin_grad(anchor, positive, negative, margin=10.0, p=p,
                                            eps=0.0, wrt=name)
        np.testing.assert_allclose(ours, grad.numpy(), rtol=1e-12, atol=1e-15, err_msg=name)


def test_focal_keeps_the_tiny_factor_of_an_easy_example():
    """1 - p_t of a confident correct logit is sigma(-z), never 1 - p: at z = 40 it is 4e-18,
    which 1 - sigmoid(40) rounds to 0 (and torchvision's formula with it). Against the
    formula evaluated from sigma(-40) and softplus(-40) directly."""
    for z, y in ((40.0, 1.0), (-40.0, 0.0), (100.0, 1.0)):
        easy = np.exp(-abs(z)) / (1 + np.exp(-abs(z)))  # sigma(-|z|) = 1 - p_t
        cross_entropy = np.log1p(np.exp(-abs(z)))
        for gamma in (0.5, 2.0):
            value = lossbook.sigmoid_focal(np.array([z]), np.array([y]), alpha=None,
                                           gamma=gamma, reduction="sum")
            assert value > 0
            assert value == pytest.approx(easy**gamma * cross_entropy, rel=1e-12)


@pytest.mark.parametrize("name", ["mse", "mae", "huber", "smooth_l1", "log_cosh", "quantile",
                                  "gaussian_nll", "poisson_nll", "bce", "bce_with_logits",
                                  "weighted_bce", "sigmoid_focal", "hinge", "squared_hinge"])
def test_zero_dimensional_inputs_work_as_one_element(name):
    """0-d arrays (one prediction, one target) give the numbers of the 1-element arrays: the
    in-place forms write into arrays, never into NumPy scalars."""
    spec = by_name(name)
    args = tuple(np.asarray(a[0, 0]) for a in draw_inputs(spec, np.random.default_rng(0), n=1,
                                                           width=1))
    for reduction in spec.reductions:
        for fn in (spec.loss, spec.grad):
            zero_d = fn(*args, **spec.params, reduction=reduction)
            one = fn(*(a[None] for a in args), **spec.params, reduction=reduction)
            assert np.shape(zero_d) == () or np.shape(zero_d) == np.shape(one)[1:]
            np.testing.assert_allclose(np.ravel(zero_d), np.ravel(one), rtol=1e-15)
