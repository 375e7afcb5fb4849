"""The thin entrypoint, run with stand-ins for awsglue and boto3: it passes Glue's arguments through and commits."""

from __future__ import annotations

import re
import runpy
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pyspark.context
import pytest
import table_maintenance.glue_job as glue_job
from table_maintenance.job_arguments import GLUE_ARGUMENTS

ENTRYPOINT = Path(__file__).resolve().parents[1] / "glue_entrypoint.py"


class _FakeJob:
    events: ClassVar[list[str]] = []

    def __init__(self, glue_context: Any) -> None:
        self.glue_context = glue_context

    def init(self, name: str, arguments: dict[str, str]) -> None:
        _FakeJob.events.append(f"init {name}")

    def commit(self) -> None:
        _FakeJob.events.append("commit")


def _install_fake_awsglue(monkeypatch: pytest.MonkeyPatch, arguments: dict[str, str]) -> None:
    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = lambda argv, names: {name: arguments[name] for name in names}  # type: ignore[attr-defined]
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


def test_the_entrypoint_runs_the_job_with_glue_s_arguments_and_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    arguments = {name: f"value-of-{name}" for name in GLUE_ARGUMENTS}
    _install_fake_awsglue(monkeypatch, arguments)
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(boto3, "client", lambda service: f"{service}-client")
    monkeypatch.setattr(pyspark.context.SparkContext, "getOrCreate", staticmethod(lambda: "spark-context"))

    def fake_run(spark: Any, args: dict[str, str], s3_client: Any) -> None:
        calls.append((spark, dict(args), s3_client))
        _FakeJob.events.append("run")

    monkeypatch.setattr(glue_job, "run_glue_job", fake_run)
    _FakeJob.events = []

    runpy.run_path(str(ENTRYPOINT), run_name="__main__")

    assert calls == [("the-session", arguments, "s3-client")]
    assert _FakeJob.events == ["init value-of-JOB_NAME", "run", "commit"]


def test_a_failing_run_is_not_committed(monkeypatch: pytest.MonkeyPatch) -> None:
    _install_fake_awsglue(monkeypatch, {name: "x" for name in GLUE_ARGUMENTS})
    monkeypatch.setattr(boto3, "client", lambda service: f"{service}-client")
    monkeypatch.setattr(pyspark.context.SparkContext, "getOrCreate", staticmethod(lambda: "spark-context"))

    def failing_run(spark: Any, args: dict[str, str], s3_client: Any) -> None:
        raise glue_job.MaintenanceRunFailedError("orders (expire_snapshots): boom")

    monkeypatch.setattr(glue_job, "run_glue_job", failing_run)
    _FakeJob.events = []

    with pytest.raises(glue_job.MaintenanceRunFailedError):
        runpy.run_path(str(ENTRYPOINT), run_name="__main__")

    assert _FakeJob.events == ["init x"]


def test_only_the_entrypoint_imports_awsglue() -> None:
    package = ENTRYPOINT.parent / "src" / "table_maintenance"
    import_line = re.compile(r"^\s*(import|from)\s+awsglue\b", re.MULTILINE)

    importers = [path.name for path in package.rglob("*.py") if import_line.search(path.read_text())]

    assert importers == []
    assert import_line.search(ENTRYPOINT.read_text())
