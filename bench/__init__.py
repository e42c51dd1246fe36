"""Benchmarks (not tests): scripts that print figures with a ratio to a baseline measured in the
same run. ``python -m bench`` runs every ``bench/*_bench.py`` module's ``main()``."""
