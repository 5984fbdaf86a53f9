"""The production settings read from the environment: Redis cache, S3 storage, pool."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, django; from django.conf import settings; django.setup(); print(json.dumps({"
    "'cache': settings.CACHES['default']['BACKEND'],"
    "'location': settings.CACHES['default'].get('LOCATION'),"
    "'session': settings.SESSION_ENGINE,"
    "'storage': settings.STORAGES['default']['BACKEND'],"
    "'bucket': settings.STORAGES['default'].get('OPTIONS', {}).get('bucket_name'),"
    "'acl': settings.STORAGES['default'].get('OPTIONS', {}).get('default_acl'),"
    "'options': {k: v for k, v in settings.DATABASES['default'].get('OPTIONS', {}).items()"
    " if k == 'pool'},"
    "'max_age': settings.DATABASES['default']['CONN_MAX_AGE'],"
    "'health': settings.DATABASES['default']['CONN_HEALTH_CHECKS'],"
    "}))"
)


def load(**env):
    base = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "CACHE"))
    }
    base.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=base, capture_output=True, text=True
    )
    return result


def test_defaults_stay_local():
    result = load(STORAGE_BACKEND="local", DATABASE_URL="sqlite:///:memory:")

    assert json.loads(result.stdout) == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "location": None,
        "session": "django.contrib.sessions.backends.db",
        "storage": "core.storage.PrivateFileSystemStorage",
        "bucket": None,
        "acl": None,
        "options": {},
        "max_age": 0,
        "health": True,
    }


def test_production_values_configure_redis_s3_and_the_pool():
    result = load(
        CACHE_URL="redis://127.0.0.1:6379/3",
        STORAGE_BACKEND="s3",
        S3_BUCKET="pst-private",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/pst",
        DB_POOL="8",
    )

    assert json.loads(result.stdout) == {
        "cache": "ops.cache.FailSoftRedisCache",
        "location": "redis://127.0.0.1:6379/3",
        "session": "django.contrib.sessions.backends.cached_db",
        "storage": "core.s3.PrivateS3Storage",
        "bucket": "pst-private",
        "acl": "private",
        "options": {"pool": {"min_size": 1, "max_size": 8, "timeout": 10}},
        "max_age": 0,
        "health": False,
    }


def test_bad_values_stop_start_up_with_the_variable_named():
    missing_bucket = load(STORAGE_BACKEND="s3")
    bad_cache = load(CACHE_URL="memcached://127.0.0.1:11211")
    bad_backend = load(STORAGE_BACKEND="ftp")

    assert "S3_BUCKET must be set" in missing_bucket.stderr
    assert "CACHE_URL must be redis://" in bad_cache.stderr
    assert "STORAGE_BACKEND must be one of local, s3" in bad_backend.stderr
