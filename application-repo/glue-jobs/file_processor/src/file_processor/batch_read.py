"""One Spark read over every file of a run: files that share a column plan are read together, and each row learns
its source from the read itself.

Spark names each row's file (`input_file_name()`, the cheapest of its ways) as a URI in which Hadoop
percent-encodes what a path may not hold (space `%20`, `#` `%23`, `?` `%3F`, `%` `%25`) and leaves `+` as it is.
Rather than decode that on every row, the files Spark lists for the read (`inputFiles()`, no data read) are decoded
once here and matched to the manifest's objects; rows then find their object by the URI as Spark wrote it, with a
broadcast join. A key with any character S3 allows finds its object, and a row that finds none fails the run
instead of going unnamed.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import unquote

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from file_processor.file_plan import FilePlan
from file_processor.layout import source_key, source_version
from file_processor.row_validation import (
    CORRUPT_RECORD,
    MALFORMED_RECORD,
    RAW_RECORD,
    REASON,
    add_validation,
    kept_as_text,
    string_read_schema,
    typed_value,
)
from file_processor.spark_session import session_settings
from file_processor.table_schema import (
    PROCESSED_AT,
    PROCESSING_JOB,
    SOURCE_FILE,
    SOURCE_KEY,
    SOURCE_VERSION,
    Column,
)

_GLOB_CHARACTERS = "\\*?[]{}"
_PATH = "__path"
_QUOTE = '"'
_MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes"
_LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism"
SOURCE_INDEX = "__source"
"""The row's file, as its index in the run's plans (BatchRead.plans)."""


@dataclass(frozen=True)
class RunStamp:
    """What every row of a run carries besides its source."""

    processed_at: object
    """A timezone-aware datetime: one instant for the whole run."""
    processing_job: str


def escape_glob(path: str) -> str:
    """Spark expands glob characters in paths; S3 keys may contain them literally (`report[1].csv`)."""
    return "".join(f"\\{character}" if character in _GLOB_CHARACTERS else character for character in path)


def spark_path(uri: str) -> str:
    """A URI as it is, a local path absolute: the form `decoded_spark_path` gives back."""
    return uri if "://" in uri else os.path.abspath(uri)


def decoded_spark_path(spark_uri: str) -> str:
    """The path of a URI as Spark names a file: percent-decoded (`+` stays `+`), local files without `file:`."""
    decoded = unquote(spark_uri)
    return "/" + decoded[len("file:") :].lstrip("/") if decoded.startswith("file:") else decoded


def _spark_names(frame: DataFrame, plans: Sequence[FilePlan]) -> dict[str, FilePlan]:
    """Each file of the read as Spark names it, with its plan; a file Spark lists that no plan names is an error."""
    by_path = {spark_path(plan.uri): plan for plan in plans}
    names: dict[str, FilePlan] = {}
    for name in frame.inputFiles():
        plan = by_path.get(decoded_spark_path(name))
        if plan is None:
            raise RuntimeError(f"Spark listed {name}, which no file of the manifest names")
        names[name] = plan
    return names


def odd_quotes(text: SparkColumn) -> SparkColumn:
    """The text holds an odd number of quote characters: in RFC 4180 CSV, a line that is a whole record holds an
    even number (fields are quoted in pairs and a quote inside one is doubled); a record that continues on the next
    line leaves its first and last lines odd."""
    quotes = F.octet_length(text) - F.octet_length(F.replace(text, F.lit(_QUOTE), F.lit("")))
    # Counting copies the text; a byte search first skips the texts without a quote. (Settling lines of one or two
    # quotes with `locate` before counting took 3.5x as long: `locate` from a position walks the characters.)
    return text.contains(_QUOTE) & (quotes % 2 == 1)


def shows_cut_record(plans: Sequence[FilePlan]) -> SparkColumn:
    """The row shows a record cut at a quoted newline: a malformed row of a file read by line whose raw record (the
    line as read) holds an odd number of quotes. `plans`: read_batch's plans.

    Read by line, a record with a quoted newline in its field k of n falls apart into a first line of k fields and a
    last line of n - k + 1: with n of 2 or more, one of them has the wrong number of fields, so it is a malformed
    row, and its raw record holds an odd number of quotes. Malformed rows are few, so looking at them costs next to
    nothing, where a text scan of every file read by line first took a pass over the input.
    """
    by_line = [index for index, plan in enumerate(plans) if not plan.multi_line]
    if not by_line:
        return F.lit(False)
    return (
        F.col(SOURCE_INDEX).isin(by_line) & F.col(REASON).startswith(MALFORMED_RECORD) & odd_quotes(F.col(RAW_RECORD))
    )


def cut_records(rows: DataFrame, plans: Sequence[FilePlan]) -> set[str]:
    """The URIs of the files read by line whose rows show a record cut at a quoted newline (shows_cut_record).
    `rows`: read_batch's rows, `plans` its plans."""
    if all(plan.multi_line for plan in plans):
        return set()
    cut = rows.where(shows_cut_record(plans)).select(SOURCE_INDEX).distinct().collect()
    return {plans[row[SOURCE_INDEX]].uri for row in cut}


def needs_scan(plan: FilePlan) -> bool:
    """A file read by line whose cut records could all look whole (cut_records): a file of one column."""
    return not plan.multi_line and len(plan.columns) < 2


def find_quoted_newlines(spark: SparkSession, plans: Sequence[FilePlan]) -> set[str]:
    """The URIs of the files that hold a quoted newline anywhere (a line with odd_quotes), found with a text scan."""
    if not plans:
        return set()
    lines = spark.read.text([escape_glob(plan.uri) for plan in plans])
    odd = lines.where(odd_quotes(F.col("value"))).select(F.input_file_name().alias(_PATH)).distinct().collect()
    odd_paths = {decoded_spark_path(row[_PATH]) for row in odd}
    return {plan.uri for plan in plans if spark_path(plan.uri) in odd_paths}


def even_split_bytes(total_bytes: int, cores: int, max_split_bytes: int) -> int | None:
    """The largest split size, at most `max_split_bytes`, that gives every core the same number of splits; None
    when Spark's own sizing already does (the input is at most one split per core, which Spark spreads itself).

    Spark cuts line-split files into splits of `spark.sql.files.maxPartitionBytes` (128 MB): a 1.1 GB file makes 9
    tasks, so on 2 cores the fifth round of tasks keeps one core idle, and every pass over the input (the read, the
    write from the cache, a one-column file's scan) pays it. 10 splits of 110 MB keep both busy to the end.
    """
    if cores < 1 or total_bytes <= cores * max_split_bytes:
        return None
    rounds = -(-total_bytes // (cores * max_split_bytes))
    return -(-total_bytes // (cores * rounds))


LISTING_TASKS_PER_CORE = 4


@contextmanager
def read_settings(spark: SparkSession, line_split_bytes: int) -> Iterator[None]:
    """Within the block, Spark's settings for reading a run; the session's own are restored after.

    - Files read by line are cut into splits that share out evenly over the session's cores (even_split_bytes).
    - Spark lists more than 32 paths in a Spark job of one task per path (up to 10,000): for a burst of 1,000 small
      files, 1,000 tasks that each list one file took 2 of the run's 6 seconds on 2 cores, as long as the rest of
      its read. A few tasks per core make the same listing calls, each task its share of the paths, without the
      cost of scheduling a task per file.
    """
    cores = spark.sparkContext.defaultParallelism
    session_conf = spark._jsparkSession.sessionState().conf()
    settings = {_LISTING_PARALLELISM: str(LISTING_TASKS_PER_CORE * cores)}
    split = even_split_bytes(line_split_bytes, cores, int(session_conf.filesMaxPartitionBytes()))
    if split is not None:
        settings[_MAX_PARTITION_BYTES] = str(split)
    with session_settings(spark, settings):
        yield


@dataclass(frozen=True)
class BatchRead:
    """The run's read: `rows` holds each row's data columns, `_reason`, `_raw_record` and `__source`, the index of
    its file in `plans`. What the job caches; `for_tables` turns rows derived from it into what the tables take.

    Two things wait until after the cache. The metadata columns: the run's instant and job are one value each, and
    a file's three source strings are one per file, yet cached per row they took more room than the data and as
    much time to build and read back. And the typed value of the columns row_validation.kept_as_text names, which
    are cached as their text.
    """

    rows: DataFrame
    plans: tuple[FilePlan, ...]
    stamp: RunStamp
    as_text: tuple[Column, ...] = ()
    """Data columns `rows` holds as text, in the type they are written as."""

    def plan_of(self, index: int) -> FilePlan:
        return self.plans[index]

    def for_tables(self, rows: DataFrame) -> DataFrame:
        """`rows` (derived from `self.rows`) with their data columns in their types and the metadata columns
        after them, `__source` dropped."""
        types = {column.name: column.type for column in self.as_text}
        data = [column for column in rows.columns if column != SOURCE_INDEX]
        typed = [
            (typed_value(column, types[column]) if column in types else F.col(f"`{column}`")).alias(column)
            for column in data
        ]
        processed_at = F.lit(self.stamp.processed_at).cast(T.TimestampType()).alias(PROCESSED_AT)
        processing_job = F.lit(self.stamp.processing_job).alias(PROCESSING_JOB)
        if len(self.plans) == 1:
            # Every row is the one file's: its source columns are literals, no join.
            (plan,) = self.plans
            return rows.select(
                *typed,
                processed_at,
                F.lit(_source_file(plan)).alias(SOURCE_FILE),
                F.lit(source_key(plan.obj)).alias(SOURCE_KEY),
                F.lit(source_version(plan.obj)).alias(SOURCE_VERSION),
                processing_job,
            )
        spark = rows.sparkSession
        sources = spark.createDataFrame(
            [
                (index, _source_file(plan), source_key(plan.obj), source_version(plan.obj))
                for index, plan in enumerate(self.plans)
            ],
            T.StructType(
                [
                    T.StructField(SOURCE_INDEX, T.IntegerType(), nullable=False),
                    T.StructField(SOURCE_FILE, T.StringType(), nullable=False),
                    T.StructField(SOURCE_KEY, T.StringType(), nullable=False),
                    T.StructField(SOURCE_VERSION, T.StringType(), nullable=False),
                ]
            ),
        )
        joined = rows.join(F.broadcast(sources), on=SOURCE_INDEX, how="inner")
        return joined.select(
            *typed, processed_at, F.col(SOURCE_FILE), F.col(SOURCE_KEY), F.col(SOURCE_VERSION), processing_job
        )


def read_batch(spark: SparkSession, plans: Sequence[FilePlan], stamp: RunStamp) -> BatchRead:
    """Every row of every planned file: typed columns of all plans (null where a file lacks one), `_reason`,
    `_raw_record` and `__source`. Lazy: nothing is read until an action runs."""
    indexed = list(enumerate(plans))
    as_text = {column.name: column for plan in plans for column in plan.columns if kept_as_text(column.type)}
    frames = [_read_group(spark, group, as_text) for group in _groups(indexed)]
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame, allowMissingColumns=True)
    return BatchRead(rows=result, plans=tuple(plans), stamp=stamp, as_text=tuple(as_text.values()))


def _groups(plans: Sequence[tuple[int, FilePlan]]) -> list[list[tuple[int, FilePlan]]]:
    """Files read together: the same columns in the same order and the same reader (multi-line or by line)."""
    keyed = sorted(plans, key=_group_key)
    return [list(group) for _, group in groupby(keyed, key=_group_key)]


def _group_key(indexed: tuple[int, FilePlan]) -> tuple[bool, tuple[tuple[str, str], ...]]:
    plan = indexed[1]
    return (plan.multi_line, tuple((column.name, column.type) for column in plan.columns))


def _read_group(spark: SparkSession, indexed: Sequence[tuple[int, FilePlan]], as_text: Collection[str]) -> DataFrame:
    plans = [plan for _, plan in indexed]
    columns: Sequence[Column] = plans[0].columns
    reader = spark.read.options(
        header=True,
        multiLine=plans[0].multi_line,
        encoding="UTF-8",
        quote=_QUOTE,
        escape=_QUOTE,
        mode="PERMISSIVE",
        columnNameOfCorruptRecord=CORRUPT_RECORD,
    )
    raw = reader.schema(string_read_schema([column.name for column in columns])).csv(
        [escape_glob(plan.uri) for plan in plans]
    )
    names = _spark_names(raw, plans)
    index_of = {id(plan): index for index, plan in indexed}
    if len(indexed) == 1:
        # One file: every row is its row, so no file name per row and no join.
        validated = add_validation(raw, columns, as_text=as_text)
        with_source = validated.withColumn(SOURCE_INDEX, F.lit(indexed[0][0]).cast(T.IntegerType()))
    else:
        with_path = raw.select("*", F.input_file_name().alias(_PATH))
        validated = add_validation(with_path, columns, keep=(_PATH,), as_text=as_text)
        sources = spark.createDataFrame(
            [(name, index_of[id(plan)]) for name, plan in names.items()],
            T.StructType(
                [
                    T.StructField(_PATH, T.StringType(), nullable=False),
                    T.StructField(SOURCE_INDEX, T.IntegerType(), nullable=False),
                ]
            ),
        )
        with_source = validated.join(F.broadcast(sources), on=_PATH, how="left")
    return with_source.select(
        *[F.col(f"`{column.name}`") for column in columns],
        F.col(REASON),
        F.col(RAW_RECORD),
        F.col(SOURCE_INDEX),
    )


def _source_file(plan: FilePlan) -> str:
    return plan.obj.s3_uri
