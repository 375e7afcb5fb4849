"""What a run learns from its read while the read is being written: rows per file, the quarantined rows, the files
whose records a quoted newline cut. For a run of few files, so that its input is read once, by the write itself.

Spark writes one output per pass over the input, and a run has two (the table and its quarantine). Caching the
validated rows and writing both from the cache costs a large file about a quarter more than the read itself
(filling the cache, then reading it back). Instead the write of the good rows carries observed metrics
(`DataFrame.observe`, aggregated beside the write and handed to the driver when it ends): the counts per file, and
the bad rows themselves, which are few in the usual run. To keep that bounded when a whole file is bad (a wrong
declared type), each task hands over at most BAD_ROWS_PER_TASK of them; a run whose tasks held more reads its bad
rows again, in a second pass that only such a run pays (ReadObservation.bad_rows is then None).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, Observation
from pyspark.sql import functions as F

from file_processor.batch_read import SOURCE_INDEX, BatchRead, shows_cut_record
from file_processor.row_validation import RAW_RECORD, REASON

BAD_ROWS_PER_TASK = 1000
_BAD_ORDINAL = "__bad_ordinal"
_RECORD_NUMBER_BITS = (1 << 33) - 1
"""monotonically_increasing_id() puts the task's partition in the upper 31 bits and the row's number in the lower 33."""
_NAMES = itertools.count()


class CutRecordsFound(RuntimeError):
    """Files read by line show records cut at a quoted newline; they must be read multi-line, before any commit."""

    def __init__(self, uris: set[str]) -> None:
        super().__init__(f"records cut at a quoted newline in {', '.join(sorted(uris))}")
        self.uris = uris


@dataclass(frozen=True)
class BadRow:
    raw_record: str
    reason: str
    source: int
    """The row's file, as its index in the read's plans."""


@dataclass(frozen=True)
class ReadObservation:
    counts: dict[int, tuple[int, int]]
    """Good and bad rows per file of the read (its index in the plans); files without rows are absent."""
    bad_rows: tuple[BadRow, ...] | None
    """Every bad row; None when some task held more than BAD_ROWS_PER_TASK (they must be read again)."""
    cut: frozenset[int]
    """Files read by line that show a record cut at a quoted newline (batch_read.shows_cut_record)."""
    unmatched: int
    """Rows that matched no file of the run (a run with any fails)."""


class ObservedRead:
    """`rows`: the batch's rows, observed. Exactly one action may run on them; `result()` waits for it."""

    def __init__(self, batch: BatchRead) -> None:
        self.batch = batch
        self._observation = Observation(f"file_processor_read_{next(_NAMES)}")
        self._result: ReadObservation | None = None
        bad = F.col(REASON).isNotNull()
        # Evaluated only where the row is bad (a CASE branch runs only when taken), the id's row number counts the
        # task's bad rows: the first BAD_ROWS_PER_TASK of each task are kept. Were it to count every row, the list
        # would still be bounded and the rest read again: only the cost would change, never the rows.
        ordinal = F.when(bad, F.monotonically_increasing_id().bitwiseAND(F.lit(_RECORD_NUMBER_BITS)))
        with_ordinal = batch.rows.withColumn(_BAD_ORDINAL, ordinal)
        metrics = [
            *_counts_per_file(len(batch.plans), bad),
            F.count_if(F.col(SOURCE_INDEX).isNull()).alias("unmatched"),
            F.count_if(F.col(_BAD_ORDINAL) >= BAD_ROWS_PER_TASK).alias("over_cap"),
            F.to_json(
                F.collect_list(
                    F.when(
                        F.col(_BAD_ORDINAL) < BAD_ROWS_PER_TASK,
                        F.struct(
                            F.col(RAW_RECORD).alias("r"), F.col(REASON).alias("e"), F.col(SOURCE_INDEX).alias("s")
                        ),
                    )
                )
            ).alias("bad_rows"),
            F.to_json(F.collect_set(F.when(shows_cut_record(batch.plans), F.col(SOURCE_INDEX)))).alias("cut"),
        ]
        self.rows: DataFrame = with_ordinal.observe(self._observation, *metrics).drop(_BAD_ORDINAL)

    def result(self) -> ReadObservation:
        """The metrics of the action that ran on `rows` (blocks until it ends; call only after it succeeded)."""
        if self._result is None:
            metrics = self._observation.get
            counts = {
                index: (int(metrics[f"good_{index}"]), int(metrics[f"bad_{index}"]))
                for index in range(len(self.batch.plans))
                if metrics[f"good_{index}"] or metrics[f"bad_{index}"]
            }
            bad_rows = (
                None
                if metrics["over_cap"]
                else tuple(BadRow(row["r"], row["e"], row["s"]) for row in json.loads(metrics["bad_rows"]))
            )
            self._result = ReadObservation(
                counts=counts,
                bad_rows=bad_rows,
                cut=frozenset(int(index) for index in json.loads(metrics["cut"])),
                unmatched=int(metrics["unmatched"]),
            )
        return self._result

    @property
    def observed(self) -> bool:
        """The action on `rows` ran and its metrics were taken."""
        return self._result is not None

    def cut_uris(self) -> set[str]:
        return {self.batch.plans[index].uri for index in self.result().cut}


def _counts_per_file(files: int, bad: SparkColumn) -> Sequence[SparkColumn]:
    source = F.col(SOURCE_INDEX)
    if files == 1:
        return [F.count_if(~bad).alias("good_0"), F.count_if(bad).alias("bad_0")]
    return [
        metric
        for index in range(files)
        for metric in (
            F.count_if((source == index) & ~bad).alias(f"good_{index}"),
            F.count_if((source == index) & bad).alias(f"bad_{index}"),
        )
    ]
