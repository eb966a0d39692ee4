"""Settings for the whole suite."""

import gc

import pytest
from hypothesis import settings

# Hypothesis fails an example that takes over 200 ms by default: a timing that a busy machine
# trips, not a fault in the code. Slowness is measured by the benches in bench/.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


@pytest.fixture(autouse=True)
def _collector_enabled_after_each_test():
    """A test whose event loop ends during a burst leaves the garbage collector held
    (proctor.collector: the loop's timer that lets it go never runs); the next test starts
    with it on."""
    yield
    gc.enable()
