"""Fixtures of tests/ops: the development seal (tests/approvals), an S3-protocol server
(s3_server.py), and the JSON log lines this process writes, as production's handler would."""

from __future__ import annotations

import io
import json
import logging

import pytest

from config.logs import ContextFilter, JsonFormatter
from tests.approvals.pdf_support import (  # noqa: F401
    clean_cache,
    dev_seal,
    seal_var_dir,
    use_broker,
)
from tests.ops.s3_server import s3, s3_server  # noqa: F401


class JsonLines:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@pytest.fixture
def json_logs():
    """Everything logged, at every level, through the production handler's formatter and
    filter (django.request included, which LOGGING otherwise keeps at ERROR)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    request_logger = logging.getLogger("django.request")
    saved = root.level, request_logger.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    request_logger.setLevel(logging.DEBUG)
    yield JsonLines(stream)
    root.removeHandler(handler)
    root.setLevel(saved[0])
    request_logger.setLevel(saved[1])
