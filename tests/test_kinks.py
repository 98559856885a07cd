"""At every kink, lossbook's subgradient against the PyTorch form its docstring names.

Where a loss is not differentiable, any value between the one-sided slopes is a valid
gradient, and libraries differ. Each docstring says which value lossbook picks and which
PyTorch form picks the same; these tests put inputs exactly on the kink and compare with
that form's autograd (and, where a form that the docstring also names picks another value,
pin that difference too, so that the docstring cannot go stale).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook


def autograd(form, pred, *others):
    """The gradient of ``form(pred, *others).sum()`` with respect to ``pred``."""
    x = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    rest = [torch.tensor(o, dtype=torch.float64) for o in others]
    (grad,) = torch.autograd.grad(form(x, *rest).sum(), x)
    return grad.numpy()


ZERO_RESIDUAL = (np.array([-1.5, 0.0, 2.0, 1e-300]), np.array([-1.5, 0.0, 2.0, 1e-300]))
SIGNS = np.array([1.0, -1.0, 1.0, -1.0])

# (id, lossbook gradient at the kink, the agreeing PyTorch form, the inputs)
CASES = [
    ("mae-at-zero", lambda p, y: lossbook.mae_grad(p, y, reduction="sum"),
     lambda p, y: F.l1_loss(p, y, reduction="none"), ZERO_RESIDUAL),
    ("smooth_l1-beta0-at-zero",
     lambda p, y: lossbook.smooth_l1_grad(p, y, beta=0.0, reduction="sum"),
     lambda p, y: F.smooth_l1_loss(p, y, beta=0.0, reduction="none"), ZERO_RESIDUAL),
    ("smooth_l1-at-beta", lambda p, y: lossbook.smooth_l1_grad(p, y, beta=0.5, reduction="sum"),
     lambda p, y: F.smooth_l1_loss(p, y, beta=0.5, reduction="none"),
     (np.array([0.5, -0.5, 0.0, 2.5]), np.array([0.0, 0.0, 0.0, 2.0]))),
    ("huber-at-delta", lambda p, y: lossbook.huber_grad(p, y, delta=0.5, reduction="sum"),
     lambda p, y: F.huber_loss(p, y, delta=0.5, reduction="none"),
     (np.array([0.5, -0.5, 0.0, 2.5]), np.array([0.0, 0.0, 0.0, 2.0]))),
    *[(f"quantile-{q}-at-zero",
       lambda p, y, q=q: lossbook.quantile_grad(p, y, q=q, reduction="sum"),
       lambda p, y, q=q: torch.maximum(q * (y - p), (q - 1) * (y - p)), ZERO_RESIDUAL)
      for q in (0.0, 0.1, 0.5, 0.9, 1.0)],
    *[(f"hinge-margin{m}-at-margin",
       lambda s, t, m=m: lossbook.hinge_grad(s, t, margin=m, reduction="sum"),
       lambda s, t, m=m: torch.relu(m - t * s), (m * SIGNS, SIGNS)) for m in (1.0, 0.5, 0.0)],
    *[(f"squared_hinge-margin{m}-at-margin",
       lambda s, t, m=m: lossbook.squared_hinge_grad(s, t, margin=m, reduction="sum"),
       lambda s, t, m=m: torch.clamp(m - t * s, min=0) ** 2, (m * SIGNS, SIGNS))
      for m in (1.0, 2.0)],
]


@pytest.mark.parametrize("ours, form, inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_lossbook_picks_the_subgradient_of_the_form_its_docstring_names(ours, form, inputs):
    np.testing.assert_array_equal(ours(*inputs), autograd(form, *inputs))


def test_at_the_hinge_margin_clamp_and_margin_ranking_pick_the_other_end():
    """The hinge docstring: ``clamp(min=0)`` and ``margin_ranking_loss`` give -y at the margin
    (clamp's backward passes the gradient where the input equals the bound); lossbook, like
    ``relu``, gives 0. Everywhere else the three agree."""
    scores, target = SIGNS.copy(), SIGNS
    clamp = autograd(lambda s, t: torch.clamp(1 - t * s, min=0), scores, target)
    ranking = autograd(lambda s, t: F.margin_ranking_loss(
        s, torch.zeros_like(s), t, margin=1.0, reduction="none"), scores, target)
    np.testing.assert_array_equal(clamp, -target)
    np.testing.assert_array_equal(ranking, -target)
    np.testing.assert_array_equal(lossbook.hinge_grad(scores, target, reduction="sum"), 0)
    off = scores + np.array([0.25, 0.25, -0.25, -0.25])  # one step off the margin each way
    np.testing.assert_array_equal(
        lossbook.hinge_grad(off, target, reduction="sum"),
        autograd(lambda s, t: torch.clamp(1 - t * s, min=0), off, target))


def test_the_gaussian_variance_clamp_passes_the_gradient_through():
    """gaussian_nll's docstring: PyTorch clamps var at eps under no_grad, so below eps the
    gradient with respect to var is the formula at eps, not 0 (and not the clamp's)."""
    mean, target = np.array([1.0, 1.0, 0.0, 2.0]), np.zeros(4)
    var = np.array([0.0, 1e-9, 1e-6, 0.3])  # below, below, at and above eps = 1e-6
    eps_var = np.maximum(var, 1e-6)
    expected = 0.5 * (1 - mean**2 / eps_var) / eps_var
    ours = lossbook.gaussian_nll_grad(mean, target, var, reduction="sum", wrt="var")
    np.testing.assert_allclose(ours, expected, rtol=1e-15)
    v = torch.tensor(var, requires_grad=True)
    out = F.gaussian_nll_loss(torch.tensor(mean), torch.tensor(target), v, reduction="sum")
    (theirs,) = torch.autograd.grad(out, v)
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-15)


# -- the clamps of BCELoss, where a probability is within 1e-12 of 0 or 1 --------------------

EDGE_PROBS = np.array([0.0, 1e-300, 1e-13, 1e-12, 3e-12, 0.5, 1 - 1e-12, 1 - 1e-13, 1.0])


@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
def test_bce_clamps_as_pytorch_does_at_the_edges(target):
    """bce's docstring: each log clamped at -100, the gradient divided by
    max(p (1 - p), 1e-12), as BCELoss; the value and gradient at probabilities on, near and
    inside those clamps are PyTorch's (the random draws never come within 1e-12 of 0 or 1)."""
    targets = np.full_like(EDGE_PROBS, target)
    weight = np.linspace(0.5, 2.0, EDGE_PROBS.size)
    p = torch.tensor(EDGE_PROBS, requires_grad=True)
    out = F.binary_cross_entropy(p, torch.tensor(targets), weight=torch.tensor(weight),
                                 reduction="none")
    (expected,) = torch.autograd.grad(out.sum(), p)
    np.testing.assert_allclose(lossbook.bce(EDGE_PROBS, targets, weight=weight, reduction="none"),
                               out.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(lossbook.bce_grad(EDGE_PROBS, targets, weight=weight,
                                                 reduction="none"),
                               expected.numpy(), rtol=1e-14)
    # weighted_bce, with the same per-element weights for hard labels
    if target in (0.0, 1.0):
        w1, w0 = 2.0, 0.5
        p = torch.tensor(EDGE_PROBS, requires_grad=True)
        out = F.binary_cross_entropy(p, torch.tensor(targets),
                                     weight=torch.tensor(w1 * targets + w0 * (1 - targets)),
                                     reduction="sum")
        (expected,) = torch.autograd.grad(out, p)
        np.testing.assert_allclose(
            lossbook.weighted_bce_grad(EDGE_PROBS, targets, w1=w1, w0=w0, reduction="sum"),
            expected.numpy(), rtol=1e-14)
