"""Header names become lowercase snake_case names that Glue and Athena accept, unique and never empty."""

from __future__ import annotations

import re

import pytest
from file_processor.column_names import MAX_COLUMN_NAME_LENGTH, normalize_column_name, normalize_column_names
from file_processor.table_schema import RESERVED_COLUMN_NAMES


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Order ID", "order_id"),
        ("  Amount (EUR) ", "amount_eur"),
        ("customerId", "customer_id"),
        ("HTTPStatusCode", "http_status_code"),
        ("Ünit Price", "unit_price"),
        ("2nd Address", "col_2nd_address"),
        ("e-mail.address", "e_mail_address"),
        ("already_snake", "already_snake"),
        ("UPPER", "upper"),
    ],
)
def test_a_header_becomes_lowercase_snake_case(header: str, expected: str) -> None:
    assert normalize_column_name(header, position=1) == expected


@pytest.mark.parametrize("header", ["", "   ", "%%%", "漢字"])
def test_a_header_with_nothing_usable_is_named_after_its_position(header: str) -> None:
    assert normalize_column_name(header, position=4) == "column_4"


def test_a_very_long_header_is_cut_to_the_athena_limit() -> None:
    name = normalize_column_name("x" * 300, position=1)

    assert len(name) == MAX_COLUMN_NAME_LENGTH


def test_duplicates_get_numbered_suffixes_and_the_first_keeps_its_name() -> None:
    assert normalize_column_names(["Note", "note", "NOTE", "note_2"]) == ["note", "note_2", "note_3", "note_2_2"]


def test_headers_that_clash_with_job_columns_are_renamed() -> None:
    headers = ["source_file", "Processed At", "Source Key", "sourceVersion", "processing_job", "id"]

    names = normalize_column_names(headers, RESERVED_COLUMN_NAMES)

    assert names == ["source_file_2", "processed_at_2", "source_key_2", "source_version_2", "processing_job_2", "id"]


def test_headers_named_like_the_former_partition_keys_keep_their_names() -> None:
    assert normalize_column_names(["ingest_date", "source_id"], RESERVED_COLUMN_NAMES) == ["ingest_date", "source_id"]


def test_every_name_of_a_messy_header_is_valid_and_unique() -> None:
    headers = ["", "", "Name", "name ", " NAME", "1", "#", "a" * 200, "a" * 200]

    names = normalize_column_names(headers, RESERVED_COLUMN_NAMES)

    assert len(set(names)) == len(headers)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) and len(name) <= MAX_COLUMN_NAME_LENGTH for name in names)
