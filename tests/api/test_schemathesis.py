"""Schemathesis fuzzes every operation of the live server, as a visitor and as an officer.

The app runs on ``live_server``; schemathesis' own command line (``st run``, the pinned dev
dependency) drives it over real HTTP with a bearer token of the role, through its
examples, coverage and fuzzing phases, with every check it has (``not_a_server_error``,
response schema, status code, content type and header conformance, negative data
rejection, unsupported methods, …). Any finding fails the test and prints schemathesis'
report with a curl line to reproduce it.

The real objects of the test world (office 3324, a publication with a PDF, a softcopy
request, a complaint, a ticket) are written into the schema as examples of the path
parameters, so the fuzzer reaches real records as well as missing ones.
``SCHEMATHESIS_MAX_EXAMPLES`` (default 20) sets the generated cases per operation.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import ApiToken

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "20"))
ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")


def _examples(world):
    """Real values for the path parameters, by name."""
    return {
        "code": "3324",
        "service": "library",
        "publication_id": world.pdf_book.pk,
        "number": world.softcopy_request().number,
        "tracking_code": world.complaint.tracking_code,
        "ticket_id": world.ticket.pk,
    }


@pytest.fixture
def unlimited(settings):
    # Thousands of requests from one address: the limits would answer most of them with a
    # (documented) 429 and the fuzzer would reach little else. The limits have own tests.
    settings.COMPLAINT_SUBMISSIONS_PER_HOUR = 0
    settings.COMPLAINT_LOOKUPS_PER_MINUTE = 0
    settings.API_TOKEN_ATTEMPTS_PER_ADDRESS = 0
    settings.API_TOKEN_ATTEMPTS_PER_ACCOUNT = 0
    settings.AXES_ENABLED = False


@pytest.mark.parametrize("role", ["visitor", "officer"])
def test_schemathesis_finds_nothing(role, live_server, callers, world, unlimited, tmp_path):
    user = world.citizen if role == "visitor" else world.clerk
    _token, raw = ApiToken.issue(user, name=f"schemathesis {role}", days=1)
    schema = callers.anonymous.get("/openapi.json").json()
    examples = _examples(world)
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in examples:
                    parameter["example"] = examples[parameter["name"]]
    (tmp_path / "openapi.json").write_text(json.dumps(schema))

    run = subprocess.run(  # noqa: S603 (our own arguments)
        [
            str(ST),
            "--no-color",
            "--config-file",
            str(CONFIG),
            "run",
            "openapi.json",
            "--url",
            live_server.url,
            "--header",
            f"Authorization: Bearer {raw}",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "20260",
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    report = run.stdout + run.stderr
    print(report)  # the summary (cases generated, phases, warnings) with -rP or -s
    assert run.returncode == 0, report
