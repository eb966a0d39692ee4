"""Settings for the whole suite."""

from hypothesis import settings

# Hypothesis fails an example that takes over 200 ms by default: a timing that a busy machine
# trips, not a fault in the code. Slowness is measured by the benches in bench/.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
