"""One way to fuzz: reproducible in CI (derandomized, no example database), no deadline on a busy
machine, and room for the large inputs a hostile client sends."""

from hypothesis import HealthCheck, settings


def fuzz_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
