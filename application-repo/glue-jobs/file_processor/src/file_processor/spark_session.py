"""Spark settings the jobs rely on: the Iceberg catalog (Glue Data Catalog in Glue, a folder locally) and UTC.

In Glue, `--datalake-formats iceberg` puts Iceberg 1.10.0 on the class path and `--conf` installs Iceberg's SQL
extensions when the session starts (CDK sets both; see application-repo/lib/job-arguments.ts); the entrypoint then
calls `configure_job_session`, which points the catalog at the stage's database and output bucket. Spark loads a
catalog the first time a query names it, so setting its options here, before any query, is enough.

Locally `local_session` builds a session with the same catalog name backed by a Hadoop catalog in a folder, and
the Iceberg runtime jar from Maven Central (fetched once into ~/.ivy2 by `spark.jars.packages`). Every query the jobs
run is the same text in both places: `glue_catalog.<database>.<table>`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from pyspark.sql import SparkSession

CATALOG = "glue_catalog"
"""The Spark catalog name of the data lake, in Glue and locally."""
ICEBERG_RUNTIME_PACKAGE = "org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.10.0"
"""The Iceberg runtime Glue 5.1 ships (`--datalake-formats iceberg`); tests and local runs use the same version."""
ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"

JOB_SETTINGS = {
    # `processed_at`, so the day partition, and naive timestamps in CSVs are UTC.
    "spark.sql.session.timeZone": "UTC",
    # A run caches its validated rows once and reads them a few times within minutes: compressing the cache cost
    # more CPU than it saved (a 300 MB file: filling a compressed cache took 1.7x as long), and it spills to disk.
    "spark.sql.inMemoryColumnarStorage.compressed": "false",
    # Reading and validating a file's rows is one generated Java method, which grows with the columns: from about
    # 10 columns on it passes the 8,000 bytes of bytecode HotSpot's JIT compiler takes, and then runs interpreted.
    # Above this limit Spark drops whole-stage code generation for that part of the plan and runs each operator's
    # own, smaller generated code (the value Spark's documentation suggests for HotSpot): validating an 18-column
    # file took 0.58x the CPU time.
    "spark.sql.codegen.hugeMethodLimit": "8000",
}


SHORT_RUN_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""Driver JVM options for sessions that live seconds to minutes over small data: tests, the local platform.

HotSpot's optimizing compiler (C2) and G1's parallel collector threads pay off over long runs on large data; over
hundreds of small queries, each generating fresh code, compiling hot methods a second time with C2 cost more than it
saved. With C1 only and the serial collector the job's test suite used 0.8x the CPU time and ran in 0.83x the wall
time on this 2-core machine. Jobs in Glue and the benchmark keep the JVM's defaults."""


class IcebergNotConfiguredError(RuntimeError):
    """The session was started without Iceberg's SQL extensions; branches and procedures would fail later."""


def glue_catalog_settings(warehouse: str) -> dict[str, str]:
    """Iceberg's GlueCatalog with S3FileIO: tables in the Glue Data Catalog, data files under `warehouse`."""
    prefix = f"spark.sql.catalog.{CATALOG}"
    return {
        prefix: "org.apache.iceberg.spark.SparkCatalog",
        f"{prefix}.catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
        f"{prefix}.io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
        f"{prefix}.warehouse": warehouse,
        # Glue's optimistic lock on the table version is the commit; no DynamoDB lock table is needed.
        f"{prefix}.glue.skip-archive": "true",
    }


def local_catalog_settings(warehouse: str) -> dict[str, str]:
    """A Hadoop catalog in a local folder: metadata and data files side by side, commits by atomic rename."""
    prefix = f"spark.sql.catalog.{CATALOG}"
    return {
        prefix: "org.apache.iceberg.spark.SparkCatalog",
        f"{prefix}.type": "hadoop",
        f"{prefix}.warehouse": warehouse,
    }


def configure_job_session(spark: SparkSession, catalog_settings: Mapping[str, str]) -> SparkSession:
    extensions = spark.conf.get("spark.sql.extensions", "") or ""
    if ICEBERG_EXTENSIONS not in extensions:
        raise IcebergNotConfiguredError(
            f"spark.sql.extensions is {extensions!r}; expected it to include {ICEBERG_EXTENSIONS} (the job's "
            "`--conf` and `--datalake-formats iceberg` arguments, which CDK sets)"
        )
    for key, value in {**JOB_SETTINGS, **catalog_settings}.items():
        spark.conf.set(key, value)
    return spark


def local_session(
    warehouse: str,
    app_name: str = "glue-jobs-local",
    cores: int = 2,
    shuffle_partitions: int = 4,
    driver_memory: str = "2g",
    ui: bool = False,
    extra: Mapping[str, str] | None = None,
    short_lived: bool = False,
) -> SparkSession:
    """A local[cores] session, quiet, with Iceberg and the jobs' settings; Spark reuses one already running.

    `short_lived`: the driver JVM starts with SHORT_RUN_JAVA_OPTIONS (only when this call starts the JVM).

    The catalog's warehouse is fixed when the session first loads it: a process that needs another warehouse
    needs another session (tests share one for the whole run and keep each test's tables apart by database).
    """
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", str(ui).lower())
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.jars.packages", ICEBERG_RUNTIME_PACKAGE)
        .config("spark.sql.extensions", ICEBERG_EXTENSIONS)
    )
    if short_lived:
        builder = builder.config("spark.driver.extraJavaOptions", SHORT_RUN_JAVA_OPTIONS)
    for key, value in {**JOB_SETTINGS, **local_catalog_settings(warehouse), **(extra or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def session_settings(spark: SparkSession, settings: Mapping[str, str]) -> Iterator[None]:
    """Within the block, these SQL settings; the session's own are put back after (a session outlives a run, and
    tests share one)."""
    previous = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, before in previous.items():
            if before is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, before)
