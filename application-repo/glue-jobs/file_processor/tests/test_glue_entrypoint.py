"""The thin entrypoint, run with stand-ins for awsglue and boto3: it asks Glue for the job's arguments (`--datasets`
only when the job has it), passes them and an S3 client through, and commits."""

from __future__ import annotations

import re
import runpy
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import boto3
import file_processor.glue_job as glue_job
import pyspark.context
import pytest

ENTRYPOINT = Path(__file__).resolve().parents[1] / "glue_entrypoint.py"
REQUIRED = ("JOB_NAME", "JOB_RUN_ID", "manifest", "output_bucket", "assets_bucket", "glue_database")
"""Written out rather than imported from glue_job, so a change to the job's arguments shows up here too."""
CLIENTS = ("s3-client", "dynamodb-client", "cloudwatch-client")


class _FakeJob:
    events: ClassVar[list[str]] = []

    def __init__(self, glue_context: Any) -> None:
        self.glue_context = glue_context

    def init(self, name: str, arguments: dict[str, str]) -> None:
        _FakeJob.events.append(f"init {name}")

    def commit(self) -> None:
        _FakeJob.events.append("commit")


def _install_fake_awsglue(monkeypatch: pytest.MonkeyPatch, arguments: dict[str, str], asked: list[str]) -> None:
    def get_resolved_options(argv: list[str], names: list[str]) -> dict[str, str]:
        asked.extend(names)
        # Like Glue's: a name that was not passed is an error, not an absent key.
        return {name: arguments[name] for name in names}

    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = get_resolved_options  # type: ignore[attr-defined]
    context = types.ModuleType("awsglue.context")
    context.GlueContext = lambda spark_context: types.SimpleNamespace(spark_session="the-session")  # type: ignore[attr-defined]
    job = types.ModuleType("awsglue.job")
    job.Job = _FakeJob  # type: ignore[attr-defined]
    for name, module in {
        "awsglue": types.ModuleType("awsglue"),
        "awsglue.utils": utils,
        "awsglue.context": context,
        "awsglue.job": job,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)


def _run_entrypoint(monkeypatch: pytest.MonkeyPatch, arguments: dict[str, str]) -> tuple[list[str], list[Any]]:
    """Runs the script as Glue would, with `arguments` on its command line; gives the names it asked Glue for and
    the calls it made to run_glue_job."""
    asked: list[str] = []
    calls: list[Any] = []
    _install_fake_awsglue(monkeypatch, arguments, asked)
    # Glue passes each argument as two words, `--name value`.
    command_line = [word for name, value in arguments.items() for word in (f"--{name}", value)]
    monkeypatch.setattr(sys, "argv", ["glue_entrypoint.py", *command_line])
    monkeypatch.setattr(boto3, "client", lambda service: f"{service}-client")
    monkeypatch.setattr(pyspark.context.SparkContext, "getOrCreate", staticmethod(lambda: "spark-context"))

    # Keyword-only and without a glue client: an entrypoint that passes one, or passes the client by position, fails.
    def fake_run(
        spark: Any, args: dict[str, str], *, s3_client: Any, dynamodb_client: Any, cloudwatch_client: Any
    ) -> None:
        calls.append((spark, dict(args), s3_client, dynamodb_client, cloudwatch_client))
        _FakeJob.events.append("run")

    monkeypatch.setattr(glue_job, "run_glue_job", fake_run)
    _FakeJob.events = []
    runpy.run_path(str(ENTRYPOINT), run_name="__main__")
    return asked, calls


def test_the_entrypoint_runs_the_job_with_glue_s_arguments_and_an_s3_client_then_commits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arguments = {name: f"value-of-{name}" for name in REQUIRED}

    asked, calls = _run_entrypoint(monkeypatch, arguments)

    assert asked == list(REQUIRED)
    assert calls == [("the-session", arguments, *CLIENTS)]
    assert _FakeJob.events == ["init value-of-JOB_NAME", "run", "commit"]


def test_the_entrypoint_passes_the_datasets_argument_when_the_job_has_one(monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = {
        **{name: f"value-of-{name}" for name in REQUIRED},
        "datasets": '{"Sales-EU": {"newVersion": "append"}}',
    }

    asked, calls = _run_entrypoint(monkeypatch, arguments)

    assert asked == [*REQUIRED, "datasets"]
    assert calls == [("the-session", arguments, *CLIENTS)]


def test_the_entrypoint_asks_for_the_ledger_and_metrics_arguments_when_the_job_has_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    optional = {
        "ledger_table": "glue-etl-dev-file-ledger",
        "ledger_retention_days": "90",
        "file_metrics_namespace": "glue-etl/dev/files",
    }
    arguments = {**{name: f"value-of-{name}" for name in REQUIRED}, **optional}

    asked, calls = _run_entrypoint(monkeypatch, arguments)

    assert asked == [*REQUIRED, *optional]
    assert calls == [("the-session", arguments, *CLIENTS)]


def test_only_the_entrypoint_imports_awsglue() -> None:
    package = ENTRYPOINT.parent / "src" / "file_processor"

    import_line = re.compile(r"^\s*(import|from)\s+awsglue\b", re.MULTILINE)

    importers = [path.name for path in package.rglob("*.py") if import_line.search(path.read_text())]

    assert importers == []
    assert import_line.search(ENTRYPOINT.read_text())
