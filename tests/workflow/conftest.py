from __future__ import annotations

import pytest


@pytest.fixture
def auth_rate(settings):
    """``auth_rate("1000/min")``: the rate limit on passwords and codes (IDHINI_AUTH_RATE) for
    one test; the configured rate again afterwards. The throttles read the settings in force at
    each request (``config.api.throttles``), so changing the setting is enough."""

    def set_rate(rate: str) -> None:
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": rate}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    return set_rate
