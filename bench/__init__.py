"""Benchmarks (not tests): scripts that print figures with a ratio to a baseline measured in the
same run. ``python -m bench`` runs every ``bench/*_bench.py`` module's ``main()``."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # a development run: no secret key needed
    import django

    django.setup()


def median_seconds(function: Callable[[], Any], runs: int) -> float:
    """The median wall time of ``runs`` calls of ``function``, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
