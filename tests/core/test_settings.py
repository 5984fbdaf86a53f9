"""Configuration comes from the environment and bad values stop start-up with the variable named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import env

ROOT = Path(__file__).resolve().parents[2]


def _check(extra_env, *args):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be one of"),
        ("EMAIL_PORT", "smtp", "EMAIL_PORT must be a whole number"),
        ("DATABASE_URL", "nonsense://x", "DATABASE_URL"),
        ("TASKS_BACKEND", "celery", "TASKS_BACKEND must be one of"),
        ("SECRET_KEY", "short", "SECRET_KEY must be a random value"),
    ],
)
def test_bad_environment_value_stops_start_up_naming_the_variable(name, value, message):
    result = _check({name: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_missing_secret_key_in_production_is_named():
    environment = {"DEBUG": "false"}
    result = _check({**environment, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_check(tmp_path):
    result = _check(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "production-secret-value-with-enough-entropy-0987654321",
            "ALLOWED_HOSTS": "pst.example.go.id",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_PRELOAD": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "TASKS_BACKEND": "database",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_env_helpers_parse_and_reject(monkeypatch, tmp_path):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "7")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))

    assert env.envbool("X_BOOL", False) is True
    assert env.envint("X_INT", 0, minimum=1) == 7
    assert env.envlist("X_LIST", []) == ["a", "b", "c"]
    assert env.envstr("X_SECRET") == "from-file"
    with pytest.raises(ImproperlyConfigured, match="X_INT must be at most 5"):
        env.envint("X_INT", 0, maximum=5)
    with pytest.raises(ImproperlyConfigured, match="X_MISSING must be set"):
        env.envstr("X_MISSING")
