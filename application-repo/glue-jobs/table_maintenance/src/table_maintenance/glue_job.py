"""The job as Glue runs it, minus `awsglue`: arguments in, an S3 client in, a report out (and an exception if a
table failed, so that Glue marks the run FAILED and the platform's alarm fires).

glue_entrypoint.py resolves the arguments and the SparkSession with awsglue and calls `run_glue_job`.
"""

from __future__ import annotations

from collections.abc import Mapping

from file_processor.spark_session import configure_job_session, glue_catalog_settings
from pyspark.sql import SparkSession

from table_maintenance.job_arguments import parse_job_arguments
from table_maintenance.maintenance import Clock, run_maintenance, utc_now
from table_maintenance.maintenance_report import MaintenanceReport, MaintenanceStatus
from table_maintenance.maintenance_settings import MaintenanceSettings
from table_maintenance.report_writers import S3PutObjectClient, S3ReportWriter, write_report


class MaintenanceRunFailedError(RuntimeError):
    """Raised after the report is written when a table (or the listing of the database) failed."""


def run_glue_job(
    spark: SparkSession, arguments: Mapping[str, str], s3_client: S3PutObjectClient, clock: Clock = utc_now
) -> MaintenanceReport:
    job = parse_job_arguments(arguments)
    configure_job_session(spark, glue_catalog_settings(job.warehouse))
    report = run_maintenance(
        spark,
        job.database,
        MaintenanceSettings(retention_days=job.retention_days),
        clock,
        job_name=job.job_name,
        run_id=job.run_id,
    )
    location = write_report(report, job.assets_root, S3ReportWriter(s3_client))
    if report.status is MaintenanceStatus.FAILED:
        raise MaintenanceRunFailedError(
            f"table maintenance run {job.run_id} on {job.database} failed: {'; '.join(report.failures())}; "
            f"see {location}"
        )
    return report
