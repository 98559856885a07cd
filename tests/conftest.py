import os

from hypothesis import settings
import numpy as np
import pytest


@pytest.fixture
def rng():
    """A fixed-seed generator: every failure can be reproduced."""
    return np.random.default_rng(20261123)


# Property tests explore new examples on every local run; in CI they are derandomised so
# that a red build can be reproduced exactly from the same commit.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=3000, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
elif os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
