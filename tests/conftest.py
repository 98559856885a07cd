import numpy as np
import pytest


@pytest.fixture
def rng():
    """A fixed-seed generator: every failure can be reproduced."""
    return np.random.default_rng(20261123)
