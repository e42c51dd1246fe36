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


def run_in_test_database(run: Callable[[], None], **defaults: str) -> None:
    """Run ``run`` with Django set up as the tests set it up (``IDHINI_TESTING``, and the other
    environment ``defaults`` given), in a test database created for it and dropped after.

    DEBUG is off while it runs, as in the tests and in production, whatever DJANGO_DEBUG says
    (``python -m bench`` sets it for the benches that need no secret key): with DEBUG on,
    Django's debug cursor logs every statement with its parameters bound into its text, about
    0.2 ms a statement on this machine, which no server pays."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("IDHINI_TESTING", "1")
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
