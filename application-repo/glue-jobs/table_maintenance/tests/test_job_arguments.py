"""The job's Glue arguments: a bad value stops the run at once, naming the argument, the value and what is expected."""

from __future__ import annotations

import pytest
from table_maintenance.job_arguments import GLUE_ARGUMENTS, JobArgumentsError, parse_job_arguments

VALID = {
    "JOB_NAME": "glue-platform-dev-table_maintenance",
    "JOB_RUN_ID": "jr_0123abcd",
    "glue_database": "glue_platform_dev",
    "output_bucket": "glue-platform-dev-output-222222222222-eu-west-1",
    "assets_bucket": "glue-platform-dev-assets-222222222222-eu-west-1",
    "snapshot_retention_days": "7",
}


def test_valid_arguments_give_the_warehouse_under_the_output_bucket_and_the_retention_as_days() -> None:
    job = parse_job_arguments(VALID)

    assert job.retention_days == 7
    assert job.database == "glue_platform_dev"
    assert job.warehouse == "s3://glue-platform-dev-output-222222222222-eu-west-1/"
    assert job.assets_root == "s3://glue-platform-dev-assets-222222222222-eu-west-1"
    assert (job.job_name, job.run_id) == ("glue-platform-dev-table_maintenance", "jr_0123abcd")


@pytest.mark.parametrize("value", ["0", "-1", "seven", "1.5", " 7", "7 days", "+7", "36501", "\u0667"])
def test_a_retention_that_is_not_a_whole_number_of_days_from_1_is_refused_with_its_value(value: str) -> None:
    with pytest.raises(JobArgumentsError) as raised:
        parse_job_arguments({**VALID, "snapshot_retention_days": value})

    assert str(raised.value) == (
        f"invalid job arguments: --snapshot_retention_days is {value!r}; "
        "expected a whole number of days from 1 to 36500, such as 7"
    )


@pytest.mark.parametrize(("value", "days"), [("1", 1), ("07", 7), ("365", 365)])
def test_a_retention_of_whole_days_is_accepted(value: str, days: int) -> None:
    assert parse_job_arguments({**VALID, "snapshot_retention_days": value}).retention_days == days


def test_every_missing_argument_and_a_bad_retention_are_reported_together() -> None:
    arguments = {"JOB_NAME": "job", "glue_database": "", "snapshot_retention_days": "0"}

    with pytest.raises(JobArgumentsError) as raised:
        parse_job_arguments(arguments)

    assert str(raised.value) == (
        "invalid job arguments: --JOB_RUN_ID is missing or empty | --glue_database is missing or empty | "
        "--output_bucket is missing or empty | --assets_bucket is missing or empty | "
        "--snapshot_retention_days is '0'; expected a whole number of days from 1 to 36500, such as 7"
    )


def test_the_entrypoint_asks_glue_for_exactly_the_arguments_the_job_reads() -> None:
    assert set(GLUE_ARGUMENTS) == set(VALID)
