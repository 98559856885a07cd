"""The figure comparison of tests/outputs.py: kernel-level noise passes, a data change fails.

The tolerance is tried on figures drawn here in the book's style: the same data drawn twice,
the data moved by 1e-9 (far more than the last bits a BLAS kernel changes), and a real
change, one point of a curve of 31 moved by a few percent of the axis.
"""

import base64
import io

import matplotlib
import numpy as np
import pytest

from tests.outputs import FIGURE_RMS_TOLERANCE, figure_problems, figure_rms, text_outputs

matplotlib.use("Agg")


def png(y) -> str:
    import matplotlib.pyplot as plt

    from lossbook.plotting import panels, use_style

    use_style()
    fig, ax = panels(1)
    x = np.logspace(-6, 0, len(y))
    ax.loglog(x, y, "o-")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def outputs(*figures):
    return [{"output_type": "display_data", "data": {"image/png": f}} for f in figures]


CURVE = np.logspace(-3, 0, 31) ** 1.5


def test_the_same_data_draws_the_same_figure():
    assert figure_problems(outputs(png(CURVE)), outputs(png(CURVE))) == []


def test_last_bit_noise_is_within_the_tolerance():
    noisy = CURVE * (1 + 1e-9 * np.random.default_rng(0).standard_normal(CURVE.size))
    assert figure_rms(png(CURVE), png(noisy)) <= FIGURE_RMS_TOLERANCE


@pytest.mark.parametrize("factor", [1.05, 1.2, 2.0])
def test_one_moved_point_is_a_different_figure(factor):
    changed = CURVE.copy()
    changed[15] *= factor
    problems = figure_problems(outputs(png(CURVE)), outputs(png(changed)))
    assert problems and "RMS difference" in problems[0]


def test_a_missing_or_resized_figure_is_reported():
    assert figure_problems(outputs(png(CURVE)), []) == ["1 stored figure(s), 0 drawn now"]
    resized = outputs(_resized(png(CURVE)))
    assert "different size" in figure_problems(outputs(png(CURVE)), resized)[0]


def _resized(figure: str) -> str:
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(figure)))
    buffer = io.BytesIO()
    image.resize((image.width // 2, image.height // 2)).save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def test_text_outputs_merge_streams_as_nbval_does():
    split = [{"output_type": "stream", "name": "stdout", "text": "a\n"},
             {"output_type": "stream", "name": "stdout", "text": "b\n"}]
    whole = [{"output_type": "stream", "name": "stdout", "text": "a\nb\n"}]
    assert text_outputs(split) == text_outputs(whole) == [("stdout", "a\nb\n")]
