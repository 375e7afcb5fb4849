"""How far back maintenance keeps history, and the Iceberg procedure options that follow from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ORPHAN_FILE_MIN_AGE = timedelta(days=3)
"""A file younger than this is never treated as an orphan: a file_processor run still in flight (Glue timeout
2 hours, plus queueing) writes data files before it commits them, and they look exactly like orphans until then."""
MAX_RETENTION_DAYS = 36_500
"""Only so that `now - retention` stays a representable date; the platform config allows far less (365)."""


@dataclass(frozen=True)
class MaintenanceSettings:
    retention_days: int
    """Snapshots, and `run_*` branches whose snapshot is, older than this many days are removed."""
    retain_last: int = 1
    """Snapshots of `main` kept whatever their age, so a table never loses its current state."""
    min_input_files: int = 2
    """A partition's files are compacted once it has this many; Iceberg's default (5) leaves 4 per day forever."""

    def __post_init__(self) -> None:
        problems = [
            f"{name} is {value!r}; expected a whole number from {low} to {high}"
            for name, value, low, high in (
                ("retention_days", self.retention_days, 1, MAX_RETENTION_DAYS),
                ("retain_last", self.retain_last, 1, 1_000_000),
                ("min_input_files", self.min_input_files, 1, 1_000_000),
            )
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high
        ]
        if problems:
            raise ValueError("invalid maintenance settings: " + "; ".join(problems))

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)

    def snapshot_cutoff(self, now: datetime) -> datetime:
        """Snapshots committed before this instant are expired; `run_*` branches pointing at one are dropped."""
        return now - self.retention

    def orphan_file_cutoff(self, now: datetime) -> datetime:
        """Unreferenced files written before this instant are deleted: the retention, but never under 3 days."""
        return now - max(self.retention, ORPHAN_FILE_MIN_AGE)

    def data_rewrite_options(self) -> dict[str, str]:
        """`rewrite_data_files` options (bin-pack, default target file size)."""
        return {
            "min-input-files": str(self.min_input_files),
            # Any data file with a merge-on-read delete is rewritten with its deletes applied, even when it is
            # large and alone in its partition; otherwise a day's deletes would be re-applied by every reader.
            "delete-file-threshold": "1",
            "remove-dangling-deletes": "true",
        }

    def position_delete_rewrite_options(self) -> dict[str, str]:
        """`rewrite_position_delete_files` options.

        After the data rewrite above, the delete files still in the table point at data files that are gone.
        Iceberg 1.10 does not drop those by itself when they are not file-scoped (its dangling check compares
        sequence numbers, and a rewritten file keeps its old one), and the default `min-input-files` (5) would skip
        a partition holding fewer; rewriting all of them is cheap, because they are few and small by then.
        """
        return {"rewrite-all": "true"}
