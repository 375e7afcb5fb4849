"""The job as Glue runs it, minus `awsglue`: arguments in, an S3 client in, a report out.

glue_entrypoint.py resolves the arguments and the SparkSession with awsglue and calls `run_glue_job`; everything
from there on is here, in plain Python, so tests drive it with a stubbed client and a local session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pyspark.sql import SparkSession

from file_processor.dataset_settings import parse_datasets_argument
from file_processor.file_metrics import NAMESPACE_ARGUMENT, metrics_namespace
from file_processor.job import JobEnvironment, JobSettings, run_job
from file_processor.layout import OutputLayout
from file_processor.ledger import RETENTION_ARGUMENT, TABLE_ARGUMENT, FileLedger, ledger_settings
from file_processor.manifest import ManifestObject, parse_manifest_json
from file_processor.run_outcome import OutcomeSinks, record_outcome
from file_processor.run_report import RunContext, RunReport, RunStatus
from file_processor.s3_object_store import S3ObjectStore
from file_processor.spark_session import configure_job_session, glue_catalog_settings

GLUE_ARGUMENTS = ("JOB_NAME", "JOB_RUN_ID", "manifest", "output_bucket", "assets_bucket", "glue_database")
"""What the entrypoint asks getResolvedOptions for: Glue's own two, the trigger's `--manifest`, CDK's defaults."""
OPTIONAL_ARGUMENTS = ("datasets", TABLE_ARGUMENT, RETENTION_ARGUMENT, NAMESPACE_ARGUMENT)
"""The dataset registry (CDK sets it; a job without it treats every dataset with the defaults), the file ledger
and its retention, and the file metrics' namespace (without them a run keeps no ledger and puts no metrics)."""


class JobRunFailedError(RuntimeError):
    """Raised after the report is written when a file or a commit failed, so Glue marks the run FAILED."""


def run_glue_job(
    spark: SparkSession,
    arguments: Mapping[str, str],
    s3_client: Any,
    settings: JobSettings | None = None,
    configure_session: bool = True,
    dynamodb_client: Any = None,
    cloudwatch_client: Any = None,
) -> RunReport:
    """`dynamodb_client` and `cloudwatch_client` are used only when the ledger and metrics arguments are given."""
    missing = [name for name in GLUE_ARGUMENTS if not arguments.get(name)]
    if missing:
        raise ValueError(f"missing job argument(s): {', '.join('--' + name for name in missing)}")
    settings = replace(settings or JobSettings(), datasets=parse_datasets_argument(arguments.get("datasets")))
    sinks = _outcome_sinks(arguments, dynamodb_client, cloudwatch_client)
    if configure_session:
        configure_job_session(spark, glue_catalog_settings(warehouse_uri(arguments["output_bucket"])))
    store = S3ObjectStore(s3_client)
    manifest = parse_manifest_json(store.read_bytes(arguments["manifest"]))
    layout = OutputLayout(
        output_root=f"s3://{arguments['output_bucket']}", assets_root=f"s3://{arguments['assets_bucket']}"
    )
    environment = JobEnvironment(store=store, layout=layout, database=arguments["glue_database"], locate=s3_uri)
    context = RunContext(job_name=arguments["JOB_NAME"], run_id=arguments["JOB_RUN_ID"], processed_at=datetime.now(UTC))
    report = run_job(spark, manifest, environment, context, settings)
    record_outcome(sinks, manifest, report, layout.report(context.job_name, context.run_id))
    if report.status == RunStatus.FAILED:
        failed = [result.source_file for result in report.files if result.status == "failed"]
        raise JobRunFailedError(
            f"run {context.run_id} failed (files: {failed or 'none'}; "
            f"commits: {'; '.join(report.commit_errors) or 'ok'}); "
            f"see {layout.report(context.job_name, context.run_id)}"
        )
    return report


def _outcome_sinks(arguments: Mapping[str, str], dynamodb_client: Any, cloudwatch_client: Any) -> OutcomeSinks:
    """Checked before S3 is read, so a bad ledger argument stops the run before it does anything."""
    ledger = ledger_settings(arguments)
    namespace = metrics_namespace(arguments)
    if ledger is not None and dynamodb_client is None:
        raise ValueError(f"--{TABLE_ARGUMENT} is given but the run has no DynamoDB client")
    if namespace is not None and cloudwatch_client is None:
        raise ValueError(f"--{NAMESPACE_ARGUMENT} is given but the run has no CloudWatch client")
    return OutcomeSinks(
        ledger=None if ledger is None else FileLedger(dynamodb_client, ledger),
        cloudwatch=cloudwatch_client,
        metrics_namespace=namespace,
    )


def warehouse_uri(output_bucket: str) -> str:
    """Iceberg tables' data and metadata files live in the stage's output bucket, under `<database>.db/<table>/`."""
    return f"s3://{output_bucket}/"


def s3_uri(obj: ManifestObject) -> str:
    return obj.s3_uri
