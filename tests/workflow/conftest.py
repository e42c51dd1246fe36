from __future__ import annotations

import pytest


@pytest.fixture
def auth_rate(settings):
    """``auth_rate("1000/min")``: the rate limit on passwords and codes (IDHINI_AUTH_RATE) for
    one test, as REST framework reads it; the configured rate again afterwards."""
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    def set_rate(rate: str) -> None:
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": rate}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        api_settings.reload()
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    yield set_rate
    api_settings.reload()
    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
