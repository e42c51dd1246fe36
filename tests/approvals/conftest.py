"""Fixtures of tests/approvals. The PDF, seal and verification ones live in pdf_support.py."""

from tests.approvals.pdf_support import (  # noqa: F401
    clean_cache,
    dev_seal,
    seal_var_dir,
    use_broker,
)
