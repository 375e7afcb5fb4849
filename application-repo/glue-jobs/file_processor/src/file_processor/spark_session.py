"""Spark settings the job relies on, and the local session tests and the local runner use.

In Glue the entrypoint gets its session from GlueContext and calls `configure_job_session`; locally
`local_session` builds one with the same settings, so both run the transforms under the same rules.
"""

from __future__ import annotations

from pyspark.sql import SparkSession

JOB_SETTINGS = {
    # `processed_at` and naive timestamps in CSVs are UTC; the partition date is the UTC day.
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.compression.codec": "snappy",
    # Timestamps as INT96 are what Athena and Hive read without configuration.
    "spark.sql.parquet.outputTimestampType": "INT96",
}


def configure_job_session(spark: SparkSession) -> SparkSession:
    for key, value in JOB_SETTINGS.items():
        spark.conf.set(key, value)
    return spark


def local_session(
    app_name: str = "file_processor-local",
    cores: int = 2,
    shuffle_partitions: int = 4,
    driver_memory: str = "2g",
    ui: bool = False,
) -> SparkSession:
    """A local[cores] session, quiet, with the job's settings; Spark reuses it if one is already running."""
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", str(ui).lower())
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in JOB_SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
