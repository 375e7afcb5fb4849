"""How many bytes Spark's executors read from storage, to count full passes over the input.

Hadoop keeps per-scheme read counters for every FileSystem in the JVM (`file` locally, `s3` under EMRFS in Glue).
The difference across a run, divided by the size of the files Spark read, is the number of full passes: 1.0 when
the cache works as intended. The sample read happens in Python and is not counted (it is bounded, see the report).
The counters live in each JVM: in local mode the executors share the driver's, on a cluster (Glue) they do not, so
there the figure is left out of the report rather than reported as a misleading zero.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyspark.sql import SparkSession


def storage_scheme(uri: str) -> str:
    """The Hadoop scheme a URI is read through; bare paths are the local file system."""
    return uri.split("://", 1)[0] if "://" in uri else "file"


def bytes_read(spark: SparkSession, schemes: Iterable[str]) -> int | None:
    """Bytes read so far through the given schemes' file systems; None when the JVM does not expose them."""
    wanted = set(schemes)
    if not spark.sparkContext.master.startswith("local"):
        return None
    try:
        statistics = spark.sparkContext._jvm.org.apache.hadoop.fs.FileSystem.getAllStatistics()  # type: ignore[union-attr]
        return sum(int(item.getBytesRead()) for item in statistics if item.getScheme() in wanted)
    except Exception:  # a metric must never fail the run
        return None


def passes(bytes_before: int | None, bytes_after: int | None, input_bytes: int) -> float | None:
    if bytes_before is None or bytes_after is None or input_bytes <= 0:
        return None
    return (bytes_after - bytes_before) / input_bytes
