"""The CTC recursions: rescaled in probability space, in log space where that loses digits.

``lossbook.ctc`` runs the forward-backward recursion on probabilities rescaled at every
frame, and recomputes in log space the sequences where a product fell below the smallest
normal float (``sequence._underflowed``). The catalog-wide suites prove the loss against
PyTorch; these tests check the two paths against each other, that the log-space path is
taken where it is needed (and that without it the result would be wrong), and that the
bound which spares most sequences the search for lost digits never spares one that lost
some.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook
from lossbook import sequence
from tests.inputs import draw_alignments

DOMAINS = ("logits", "labels", "few_frames")


def torch_ctc(logits, targets, input_lengths, target_lengths):
    """Per-sequence losses and the gradient of their sum, from PyTorch."""
    z = torch.tensor(logits, requires_grad=True)
    losses = F.ctc_loss(torch.log_softmax(z, -1), torch.tensor(np.maximum(targets, 0)),
                        torch.tensor(input_lengths), torch.tensor(target_lengths),
                        reduction="none")
    losses[torch.isfinite(losses)].sum().backward()
    return losses.detach().numpy(), z.grad.numpy()


def log_space(logits, targets, input_lengths, target_lengths):
    """Per-sequence log-likelihoods and state occupancies from the log-space recursions."""
    z, y, frames, sizes = sequence._prepare(logits, targets, input_lengths, target_lengths,
                                            0, "none")
    extended = sequence.extend_with_blanks(y)
    skip = sequence._can_skip(extended, 0)
    emit = sequence._emissions(lossbook.log_softmax(z), extended)
    alpha = sequence.log_alpha(emit, skip)
    beta = sequence.log_beta(emit, skip, frames, sizes)
    log_p = sequence._log_likelihood(alpha, frames, sizes)
    with np.errstate(invalid="ignore"):
        return log_p, np.exp(alpha + beta - log_p[:, None])


def rescaled(logits, targets, input_lengths, target_lengths, monkeypatch):
    """The same from the rescaled recursions alone (the log-space path switched off)."""
    monkeypatch.setattr(sequence, "_underflowed",
                        lambda alpha, *args: np.zeros(alpha.shape[1], dtype=bool))
    z, y, frames, sizes = sequence._prepare(logits, targets, input_lengths, target_lengths,
                                            0, "none")
    with np.errstate(invalid="ignore"):
        log_p, occupancy, overlap = sequence._recursions(
            lossbook.log_softmax(z), sequence.extend_with_blanks(y), 0, frames, sizes,
            backward=True)
        return log_p, occupancy[:, :, 2:] / overlap[..., None]


@pytest.mark.parametrize("seed", range(5))
def test_rescaled_and_log_space_recursions_agree(seed, monkeypatch):
    args = draw_alignments(DOMAINS, np.random.default_rng(seed), n=40, width=6, scale=3.0)
    frames = args[2]
    log_p, occupancy = log_space(*args)
    log_p_scaled, occupancy_scaled = rescaled(*args, monkeypatch)
    feasible = np.isfinite(log_p)
    assert 0 < feasible.sum() < len(log_p)  # both kinds of target are drawn
    np.testing.assert_array_equal(log_p_scaled[~feasible], -np.inf)
    np.testing.assert_allclose(log_p_scaled[feasible], log_p[feasible], rtol=1e-12)
    in_use = (np.arange(len(occupancy))[:, None] < frames) & feasible
    np.testing.assert_allclose(occupancy_scaled[in_use], occupancy[in_use], rtol=0,
                               atol=1e-12)


def tight_alignment(rng, num_labels=800, extra_frames=3):
    """One sequence of distinct neighbouring labels with barely enough frames: the few
    alignments that finish hold a share of the rescaled forward mass far below the smallest
    float, so the rescaled recursion alone loses them."""
    labels = np.cumsum(rng.integers(1, 4, size=(1, num_labels)), axis=1) % 4 + 1
    num_frames = num_labels + extra_frames
    logits = rng.normal(size=(num_frames, 1, 5))
    return logits, labels, np.array([num_frames]), np.array([num_labels])


def test_lost_digits_are_recomputed_in_log_space(monkeypatch):
    args = tight_alignment(np.random.default_rng(0))
    expected, expected_grad = torch_ctc(*args)
    value = lossbook.ctc(*args, reduction="none")
    grad = lossbook.ctc_grad(*args, reduction="sum")
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=0, atol=1e-10)
    log_p, _ = rescaled(*args, monkeypatch)  # without the log-space path
    assert not np.isclose(-log_p[0], expected[0], rtol=1e-6)


def test_extreme_logits_take_the_log_space_path():
    """Logits of 1e3: a frame's probability of a wrong class is e^-1000, below any float."""
    rng = np.random.default_rng(1)
    args = draw_alignments(DOMAINS, rng, n=30, width=4, scale=1e3)
    expected, expected_grad = torch_ctc(*args)
    value = lossbook.ctc(*args, reduction="none")
    finite = np.isfinite(expected)
    np.testing.assert_allclose(value[finite], expected[finite], rtol=1e-12)
    assert np.all(value[~finite] == np.inf)
    with np.errstate(invalid="ignore"):
        grad = lossbook.ctc_grad(*args, reduction="sum")
    np.testing.assert_allclose(grad[:, finite], expected_grad[:, finite], rtol=0, atol=1e-9)


@pytest.mark.parametrize("scale", [0.1, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0])
def test_the_bound_spares_only_sequences_that_lost_nothing(scale, monkeypatch):
    """Where ``_underflowed``'s bound says a sequence needs no search, the search finds
    nothing (forced by lowering every log-probability the bound reads)."""
    search = sequence._underflowed
    seen = {}

    def both(alpha, scales, probs, log_probs, *rest):
        seen["bounded"] = search(alpha, scales, probs, log_probs, *rest)
        seen["searched"] = search(alpha, scales, probs, log_probs - 1e6, *rest)
        return seen["bounded"]

    monkeypatch.setattr(sequence, "_underflowed", both)
    rng = np.random.default_rng(int(scale * 10))
    spared, searched_lost = 0, 0
    info = np.finfo(np.float64)
    for _ in range(10):
        args = draw_alignments(DOMAINS, rng, n=50, width=int(rng.integers(1, 30)),
                               scale=scale)
        with np.errstate(invalid="ignore"):
            lossbook.ctc_grad(*args)
        np.testing.assert_array_equal(seen["bounded"], seen["searched"])
        worst = -lossbook.log_softmax(args[0]).min(axis=(0, 2))
        spared += np.sum(args[2] * (worst + np.log(3)) <= np.log(info.eps / info.tiny))
        searched_lost += seen["searched"].sum()
    if scale <= 1:
        assert spared == 500  # every sequence: T <= 62 frames of modest logits
    if scale >= 30:
        assert spared < 500 and searched_lost > 0  # the search runs, and finds losses


def test_a_nan_stays_in_its_own_sequence():
    rng = np.random.default_rng(2)
    logits, targets, frames, sizes = draw_alignments(("logits", "labels", "frames"), rng,
                                                     n=4, width=3, scale=1.0)
    logits[0, 1] = np.nan
    value = lossbook.ctc(logits, targets, frames, sizes, reduction="none")
    expected, _ = torch_ctc(logits, targets, frames, sizes)
    assert np.isnan(value[1]) and np.isnan(expected[1])
    keep = np.arange(4) != 1
    np.testing.assert_allclose(value[keep], expected[keep], rtol=1e-12)
