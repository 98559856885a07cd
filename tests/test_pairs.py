"""The pair and ranking losses: their labels, their margins and their edges.

The catalog-wide suites prove values and gradients against PyTorch; this file tests what is
particular to pairs: the label sets (and what PyTorch does with a label outside them), the
margin, coinciding pairs, and the relations between the four losses.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

import lossbook
from lossbook import torch_losses

X = np.array([[1.0, 0.0, 2.0], [0.5, -1.0, 0.0]])
Z = np.array([[0.0, 1.0, 1.0], [0.5, -1.0, 0.1]])

BAD = [
    (lossbook.contrastive, (X, Z, np.array([0.0, -1.0])),
     "target must hold labels in {0, 1}, got -1.0"),
    (lossbook.cosine_embedding, (X, Z, np.array([1.0, 0.0])),
     "target must hold labels in {-1, +1}, got 0.0"),
    (lossbook.margin_ranking, (X[0], Z[0], np.array([1.0, 0.0, 1.0])),
     "target must hold labels in {-1, +1}, got 0.0"),
    (lossbook.hinge_embedding, (X[0], np.array([1.0, 1.0, 0.0])),
     "target must hold labels in {-1, +1}, got 0.0"),
    (lossbook.contrastive, (X, Z, np.array([0.0, 1.0, 1.0])),
     "target must hold one label per pair, expected shape (2,), got (3,)"),
    (lossbook.cosine_embedding, (X[0], Z[0], np.array(1.0)),
     "input1 must have shape (N, D), got (3,)"),
    (lossbook.cosine_embedding, (X, Z[:1], np.array([1.0, 1.0])),
     "input2 must have the same shape as input1, expected (2, 3), got (1, 3)"),
    (lossbook.margin_ranking, (X[0], Z[0, :2], np.array([1.0, 1.0])),
     "input2 must have the same shape as input1, expected (3,), got (2,)"),
    (lossbook.hinge_embedding, (X[0], np.array([1.0, -1.0])),
     "target must have the same shape as input, expected (3,), got (2,)"),
    (lossbook.contrastive, (X, Z, np.array([0.0, 1.0])), None),
]


@pytest.mark.parametrize("loss, args, message", BAD[:-1])
def test_bad_labels_and_shapes_raise_a_clear_error(loss, args, message):
    with pytest.raises(ValueError) as err:
        loss(*args)
    assert str(err.value) == message
    with pytest.raises(ValueError) as err:
        getattr(lossbook, loss.__name__ + "_grad")(*args)
    assert str(err.value) == message


def test_contrastive_refuses_a_negative_margin():
    with pytest.raises(ValueError, match="margin must be >= 0, got -1.0"):
        lossbook.contrastive(X, Z, np.array([0.0, 1.0]), margin=-1.0)


def test_what_pytorch_does_with_a_label_of_zero():
    """The label lossbook refuses: PyTorch's cosine loss drops the pair, its hinge embedding
    loss charges both cases, its ranking loss charges the margin whatever the scores."""
    x1, x2 = torch.from_numpy(X), torch.from_numpy(Z)
    zero = torch.zeros(2, dtype=torch.float64)
    assert torch.all(F.cosine_embedding_loss(x1, x2, zero, reduction="none") == 0)
    d = torch.tensor([0.3, 2.0], dtype=torch.float64)
    both = F.hinge_embedding_loss(d, zero, margin=1.0, reduction="none")
    assert torch.allclose(both, d + torch.clamp(1.0 - d, min=0))
    flat = F.margin_ranking_loss(d, -d, zero, margin=0.5, reduction="none")
    assert torch.all(flat == 0.5)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), margin=st.sampled_from([0.0, 0.5, 2.0]))
def test_coinciding_pairs(seed, margin):
    """A similar pair that coincides costs 0 with gradient 0; a dissimilar one costs
    m^2 / 2 and, its direction undefined, gets gradient 0, as torch's autograd gives."""
    x = np.random.default_rng(seed).normal(size=(5, 3))
    y = np.array([0.0, 0.0, 1.0, 1.0, 1.0])
    value = lossbook.contrastive(x, x, y, margin=margin, reduction="none")
    np.testing.assert_array_equal(value, np.where(y == 1, margin**2 / 2, 0.0))
    grad = lossbook.contrastive_grad(x, x, y, margin=margin, reduction="none")
    np.testing.assert_array_equal(grad, 0)
    t = torch.from_numpy(x).requires_grad_(True)
    torch_losses.contrastive(t, torch.from_numpy(x), torch.from_numpy(y),
                             margin=margin).backward()
    np.testing.assert_array_equal(t.grad.numpy(), 0)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), margin=st.sampled_from([0.1, 1.0, 3.0]))
def test_dissimilar_pairs_beyond_the_margin_are_free(seed, margin):
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=(6, 4))
    step = rng.normal(size=(6, 4))
    step *= (margin * rng.uniform(1.01, 3.0, size=(6, 1))) / np.linalg.norm(step, axis=1,
                                                                          keepdims=True)
    ones = np.ones(6)
    assert np.all(lossbook.contrastive(x1, x1 + step, ones, margin=margin,
                                       reduction="none") == 0)
    assert np.all(lossbook.contrastive_grad(x1, x1 + step, ones, margin=margin) == 0)
    # ... and just inside the margin they cost something, and are pushed apart
    inside = x1 + step / np.linalg.norm(step, axis=1, keepdims=True) * margin * 0.9
    assert np.all(lossbook.contrastive(x1, inside, ones, margin=margin, reduction="none") > 0)
    grad = lossbook.contrastive_grad(x1, inside, ones, margin=margin, reduction="none")
    assert np.all(np.einsum("nd,nd->n", grad, inside - x1) > 0)  # descent moves x1 away


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), margin=st.sampled_from([0.0, 0.5, 2.0]))
def test_hinge_embedding_on_distances_is_contrastive_without_squares(seed, margin):
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    similar = rng.integers(0, 2, size=7).astype(float)
    d = np.linalg.norm(x1 - x2, axis=1)
    hinge = lossbook.hinge_embedding(d, 2 * similar - 1, margin=margin, reduction="none")
    squares = lossbook.contrastive(x1, x2, 1 - similar, margin=margin, reduction="none")
    np.testing.assert_allclose(squares, hinge**2 / 2)


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), margin=st.sampled_from([0.0, 1.0]))
def test_margin_ranking_sees_only_the_difference(seed, margin):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=8), rng.normal(size=8)
    y = rng.choice([-1.0, 1.0], size=8)
    shift = rng.normal() * 100
    np.testing.assert_allclose(
        lossbook.margin_ranking(a + shift, b + shift, y, margin=margin, reduction="none"),
        lossbook.margin_ranking(a, b, y, margin=margin, reduction="none"), atol=1e-12)
    # against a second score of 0 it is the hinge loss
    np.testing.assert_allclose(
        lossbook.margin_ranking(a, np.zeros(8), y, margin=margin, reduction="none"),
        lossbook.hinge(a, y, margin=margin, reduction="none"))


@settings(deadline=None, max_examples=40)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([0.1, 1.0, 1e3]))
def test_cosine_embedding_ignores_lengths(seed, scale):
    """Up to PyTorch's 1e-12 added to each squared norm (1e-10 relative at a length of 0.1)."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    y = rng.choice([-1.0, 1.0], size=5)
    np.testing.assert_allclose(
        lossbook.cosine_embedding(x1 * scale, x2, y, margin=0.2, reduction="none"),
        lossbook.cosine_embedding(x1, x2, y, margin=0.2, reduction="none"), atol=1e-9)
    # its gradient is orthogonal to the vector it moves
    grad = lossbook.cosine_embedding_grad(x1, x2, y, reduction="none")
    np.testing.assert_allclose(np.einsum("nd,nd->n", grad, x1), 0, atol=1e-10)


def test_cosine_embedding_of_zero_vectors_is_finite_and_equal_to_torch():
    x1 = np.array([[0.0, 0.0], [1.0, 2.0]])
    x2 = np.array([[1.0, 1.0], [0.0, 0.0]])
    y = np.array([1.0, -1.0])
    t1 = torch.from_numpy(x1).requires_grad_(True)
    out = F.cosine_embedding_loss(t1, torch.from_numpy(x2), torch.from_numpy(y))
    out.backward()
    np.testing.assert_allclose(lossbook.cosine_embedding(x1, x2, y), out.item())
    np.testing.assert_allclose(lossbook.cosine_embedding_grad(x1, x2, y), t1.grad.numpy())
