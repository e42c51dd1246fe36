"""Run every benchmark: each ``bench/*_bench.py`` module's ``main()``, in name order.

``python -m bench`` runs them all but the load test; ``python -m bench docx pdf`` only those whose
names start so (``python -m bench load``: the load test).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path


def run(selected: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # a development run: no secret key needed
    folder = Path(__file__).resolve().parent
    for path in sorted(folder.glob("*_bench.py")):
        name = path.stem
        if selected and not any(name.startswith(prefix) for prefix in selected):
            continue
        if not selected and name.startswith("load"):
            continue  # the load test takes minutes and its own servers: only when named
        print(f"=== bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(flush=True)


if __name__ == "__main__":
    run(sys.argv[1:])
