"""Fixtures of tests/portal: the seal ones are shared with tests/approvals (pdf_support.py)."""

from tests.approvals.pdf_support import (  # noqa: F401
    clean_cache,
    dev_seal,
    seal_var_dir,
    use_broker,
)
