"""The job's Glue arguments, checked before any Spark work: every problem at once, each with the value and what is
expected, so a bad deployment fails its first run with a message that says what to fix."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from table_maintenance.maintenance_settings import MAX_RETENTION_DAYS

RETENTION_ARGUMENT = "snapshot_retention_days"
GLUE_ARGUMENTS = ("JOB_NAME", "JOB_RUN_ID", "glue_database", "output_bucket", "assets_bucket", RETENTION_ARGUMENT)
"""What the entrypoint asks getResolvedOptions for: Glue's own two, CDK's defaults and the retention."""
RETENTION_EXPECTED = f"expected a whole number of days from 1 to {MAX_RETENTION_DAYS}, such as 7"
_WHOLE_NUMBER = re.compile(r"[0-9]+")


class JobArgumentsError(ValueError):
    """One or more job arguments are missing or invalid; the message lists each of them."""


@dataclass(frozen=True)
class JobArguments:
    job_name: str
    run_id: str
    database: str
    output_bucket: str
    assets_bucket: str
    retention_days: int

    @property
    def warehouse(self) -> str:
        """The Iceberg warehouse: table data and metadata live under the output bucket."""
        return f"s3://{self.output_bucket}/"

    @property
    def assets_root(self) -> str:
        return f"s3://{self.assets_bucket}"


def parse_job_arguments(arguments: Mapping[str, str]) -> JobArguments:
    problems = [f"--{name} is missing or empty" for name in GLUE_ARGUMENTS if not arguments.get(name)]
    retention = arguments.get(RETENTION_ARGUMENT)
    retention_days = 0
    if retention:
        try:
            retention_days = parse_retention_days(retention)
        except JobArgumentsError as error:
            problems.append(str(error))
    if problems:
        raise JobArgumentsError("invalid job arguments: " + " | ".join(problems))
    return JobArguments(
        job_name=arguments["JOB_NAME"],
        run_id=arguments["JOB_RUN_ID"],
        database=arguments["glue_database"],
        output_bucket=arguments["output_bucket"],
        assets_bucket=arguments["assets_bucket"],
        retention_days=retention_days,
    )


def parse_retention_days(value: str) -> int:
    # Digits only: int() would also take " 7", "+7", "7_0" and non-ASCII digits, which a config never means.
    days = int(value) if _WHOLE_NUMBER.fullmatch(value) else 0
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise JobArgumentsError(f"--{RETENTION_ARGUMENT} is {value!r}; {RETENTION_EXPECTED}")
    return days
