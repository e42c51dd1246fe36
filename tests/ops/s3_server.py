"""An S3-protocol server on a free loopback port (moto's server mode, in a thread of the test
process), and Django's default storage pointed at it the way settings.py configures it from
IDHINI_STORAGE=s3 and IDHINI_S3_* (config/storage.py)."""

from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer

from config.storage import storages_config

BUCKET = "idhini-files"
PREFIX = "idhini"
CREDENTIALS = {"aws_access_key_id": "idhini-test", "aws_secret_access_key": "idhini-test-secret"}


class S3Server:
    def __init__(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self) -> S3Server:
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self.server.stop()

    def client(self):
        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1", **CREDENTIALS
        )

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client().list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/{prefix}")
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def empty_bucket(self) -> None:
        client = self.client()
        for key in self.keys():
            client.delete_object(Bucket=BUCKET, Key=key)


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server().start()
    server.client().create_bucket(Bucket=BUCKET)
    yield server
    server.stop()


def s3_environment(endpoint: str) -> dict[str, str]:
    """The IDHINI_S3_* variables of a deployment on the bucket at ``endpoint``."""
    return {
        "IDHINI_STORAGE": "s3",
        "IDHINI_S3_BUCKET": BUCKET,
        "IDHINI_S3_ENDPOINT_URL": endpoint,
        "IDHINI_S3_REGION": "us-east-1",
        "IDHINI_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "IDHINI_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "IDHINI_S3_PREFIX": PREFIX,
        "IDHINI_S3_ADDRESSING_STYLE": "path",
    }


def use_s3(monkeypatch, settings, endpoint: str) -> dict:
    """Django's default storage on the bucket at ``endpoint``, as settings.py builds it."""
    # A server that is away answers at once; boto3 would otherwise retry for seconds.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    s3 = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": CREDENTIALS["aws_access_key_id"],
        "secret_key": CREDENTIALS["aws_secret_access_key"],
        "location": PREFIX,
        "addressing_style": "path",
    }
    entry = storages_config(kind="s3", s3=s3)
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    return entry


@pytest.fixture
def s3(s3_server, monkeypatch, settings):
    use_s3(monkeypatch, settings, s3_server.endpoint)
    s3_server.empty_bucket()
    yield s3_server
    s3_server.empty_bucket()
