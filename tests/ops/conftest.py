import logging
import socket
import uuid

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

ACCESS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server (moto) on a free loopback port, over HTTP, for the session."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_settings(endpoint, bucket, *, connect_timeout=5):
    return {
        "BACKEND": "core.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": ACCESS["aws_access_key_id"],
            "secret_key": ACCESS["aws_secret_access_key"],
            "addressing_style": "path",
            "max_memory_size": 2 * 1024 * 1024,
            "client_config": Config(
                connect_timeout=connect_timeout,
                read_timeout=10,
                retries={"max_attempts": 1, "mode": "standard"},
                signature_version="s3v4",
            ),
        },
    }


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **ACCESS)


@pytest.fixture
def s3_bucket(s3_client, s3_endpoint, settings):
    """A fresh private bucket as the default storage; returns its name."""
    bucket = f"pst-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": s3_settings(s3_endpoint, bucket)}
    return bucket


def bucket_keys(client, bucket):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
