"""The worked examples of the guide, recomputed by lossbook and by PyTorch."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook


def test_mse_of_the_guide():
    # y = [3, 4], y_hat = [2, 5]: ((3-2)^2 + (4-5)^2) / 2 = 1
    assert lossbook.mse([2.0, 5.0], [3.0, 4.0]) == 1.0
    assert F.mse_loss(torch.tensor([2.0, 5.0]), torch.tensor([3.0, 4.0])).item() == 1.0


def test_bce_of_the_guide():
    # -(log 0.9 + log 0.9) / 2 = -log 0.9 = 0.10536...; the guide prints it truncated, 0.1053
    value = lossbook.bce([0.9, 0.1], [1.0, 0.0])
    assert value == pytest.approx(-np.log(0.9), rel=1e-15)
    assert f"{value:.5f}".startswith("0.1053")
    torch_value = F.binary_cross_entropy(
        torch.tensor([0.9, 0.1], dtype=torch.float64), torch.tensor([1.0, 0.0], dtype=torch.float64)
    ).item()
    assert value == pytest.approx(torch_value, rel=1e-12)


def test_cross_entropy_of_the_guide():
    # logits [2.0, 1.0, 0.1], class 0: log(e^2 + e^1 + e^0.1) - 2 = 0.4170...
    value = lossbook.cross_entropy([[2.0, 1.0, 0.1]], [0])
    assert value == pytest.approx(np.log(np.exp(2) + np.exp(1) + np.exp(0.1)) - 2, rel=1e-14)
    assert f"{value:.3f}" == "0.417"
    torch_value = F.cross_entropy(torch.tensor([[2.0, 1.0, 0.1]], dtype=torch.float64),
                                  torch.tensor([0])).item()
    assert value == pytest.approx(torch_value, rel=1e-12)
