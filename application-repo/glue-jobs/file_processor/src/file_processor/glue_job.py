"""The job as Glue runs it, minus `awsglue`: arguments in, S3 and Glue clients in, a report out.

glue_entrypoint.py resolves the arguments and the SparkSession with awsglue and calls `run_glue_job`; everything
from there on is here, in plain Python, so tests drive it with stubbed clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pyspark.sql import SparkSession

from file_processor.glue_catalog import GlueCatalog
from file_processor.job import JobEnvironment, JobSettings, run_job
from file_processor.manifest import ManifestObject, parse_manifest_json
from file_processor.output_layout import OutputLayout
from file_processor.run_report import FAILED, RunContext, RunReport
from file_processor.s3_object_store import S3ObjectStore
from file_processor.spark_session import configure_job_session

GLUE_ARGUMENTS = ("JOB_NAME", "JOB_RUN_ID", "manifest", "output_bucket", "assets_bucket", "glue_database")
"""What the entrypoint asks getResolvedOptions for: Glue's own two, the trigger's `--manifest`, CDK's defaults."""


class JobRunFailedError(RuntimeError):
    """Raised after the report is written when a file or the catalog failed, so Glue marks the run FAILED."""


def run_glue_job(
    spark: SparkSession,
    arguments: Mapping[str, str],
    s3_client: Any,
    glue_client: Any,
    settings: JobSettings | None = None,
) -> RunReport:
    missing = [name for name in GLUE_ARGUMENTS if not arguments.get(name)]
    if missing:
        raise ValueError(f"missing job argument(s): {', '.join('--' + name for name in missing)}")
    configure_job_session(spark)
    store = S3ObjectStore(s3_client)
    manifest = parse_manifest_json(store.read_bytes(arguments["manifest"]))
    environment = JobEnvironment(
        store=store,
        catalog=GlueCatalog(glue_client, arguments["glue_database"]),
        layout=OutputLayout(
            output_root=f"s3://{arguments['output_bucket']}", assets_root=f"s3://{arguments['assets_bucket']}"
        ),
        database=arguments["glue_database"],
        locate=s3_uri,
    )
    context = RunContext(job_name=arguments["JOB_NAME"], run_id=arguments["JOB_RUN_ID"], processed_at=datetime.now(UTC))
    report = run_job(spark, manifest, environment, context, settings)
    if report.status == FAILED:
        failed = [result.source_file for result in report.files if result.status == FAILED]
        raise JobRunFailedError(
            f"run {context.run_id} failed (files: {failed or 'none'}; "
            f"catalog: {'; '.join(report.catalog_errors) or 'ok'}); "
            f"see {environment.layout.report(context.job_name, context.run_id)}"
        )
    return report


def s3_uri(obj: ManifestObject) -> str:
    return obj.s3_uri
