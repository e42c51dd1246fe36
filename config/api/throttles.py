"""The rate limits, read when a request comes (not when the module is first imported).

REST framework's throttles copy ``DEFAULT_THROTTLE_RATES`` into a class attribute at import:
whatever the settings are at that moment stay for the life of the process. A setting changed
afterwards (``IDHINI_AUTH_RATE`` in a test, an override) is then ignored, and a module first
imported while the settings lacked a scope refuses every request of that scope with a 500
(``ImproperlyConfigured``). This subclass reads the rate from the settings in force.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ScopedRateThrottleNow(ScopedRateThrottle):
    """``ScopedRateThrottle`` with the rates of the settings in force at the request."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()
