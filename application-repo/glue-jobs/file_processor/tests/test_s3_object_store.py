"""The S3 object store against botocore's Stubber: URIs split with the key whole, ranged reads, version checks,
copies and the report's write."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.response import StreamingBody
from botocore.stub import Stubber
from file_processor.object_store import ObjectNotFoundError
from file_processor.s3_object_store import S3ObjectStore, split_s3_uri


@pytest.fixture
def s3() -> Iterator[tuple[S3ObjectStore, Stubber]]:
    client = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield S3ObjectStore(client), stubber
        stubber.assert_no_pending_responses()


def _body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


@pytest.mark.parametrize(
    ("uri", "key"),
    [
        ("s3://bucket/incoming/a b+c.csv", "incoming/a b+c.csv"),
        ("s3://bucket/incoming/orders#2.csv", "incoming/orders#2.csv"),
        ("s3://bucket/incoming/why?.csv", "incoming/why?.csv"),
        ("s3://bucket/incoming/q?a=1&b=2#frag.csv", "incoming/q?a=1&b=2#frag.csv"),
        ("s3://bucket/incoming/100%.csv", "incoming/100%.csv"),
        ("s3://bucket/incoming/50%20off.csv", "incoming/50%20off.csv"),
        ("s3://bucket/incoming/ünïcødé 日本.csv", "incoming/ünïcødé 日本.csv"),
        ("s3://bucket/incoming//double/ slash .csv", "incoming//double/ slash .csv"),
    ],
)
def test_an_s3_uri_splits_into_the_bucket_and_the_key_exactly_as_written(uri: str, key: str) -> None:
    assert split_s3_uri(uri) == ("bucket", key)


@pytest.mark.parametrize("uri", ["/data/file.csv", "s3:/bucket/key", "s3:///key", "https://bucket/key", "bucket/key"])
def test_a_path_that_is_not_an_s3_uri_is_refused(uri: str) -> None:
    with pytest.raises(ValueError, match="expected an s3://bucket/key URI"):
        split_s3_uri(uri)


def test_every_request_names_a_key_with_a_hash_and_a_question_mark_whole(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response("head_object", {"ContentLength": 3, "ETag": '"e"'}, {"Bucket": "in", "Key": "a #1?.csv"})
    stubber.add_response(
        "get_object", {"Body": _body(b"a\n")}, {"Bucket": "in", "Key": "a #1?.csv", "Range": "bytes=0-9"}
    )

    assert store.info("s3://in/a #1?.csv").size == 3
    assert store.read_bytes("s3://in/a #1?.csv", 10) == b"a\n"


def test_the_sample_is_a_ranged_get_of_the_first_bytes(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "get_object", {"Body": _body(b"a,b\n")}, {"Bucket": "in", "Key": "k.csv", "Range": "bytes=0-1023"}
    )

    assert store.read_bytes("s3://in/k.csv", 1024) == b"a,b\n"


def test_a_range_on_an_empty_object_reads_no_bytes(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_client_error("get_object", "InvalidRange", http_status_code=416)

    assert store.read_bytes("s3://in/empty.csv", 1024) == b""


def test_info_has_the_unquoted_etag_and_the_version(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "head_object",
        {"ContentLength": 12, "ETag": '"abc123"', "VersionId": "v1"},
        {"Bucket": "in", "Key": "k.csv"},
    )

    info = store.info("s3://in/k.csv")

    assert (info.size, info.e_tag, info.version_id) == (12, "abc123", "v1")


def test_a_missing_object_is_object_not_found(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_client_error("head_object", "404", http_status_code=404)

    with pytest.raises(ObjectNotFoundError):
        store.info("s3://in/gone.csv")


def test_copy_is_one_copy_object_request(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response("head_object", {"ContentLength": 10, "ETag": '"e"'}, {"Bucket": "in", "Key": "bad.csv"})
    stubber.add_response(
        "copy_object",
        {},
        {"Bucket": "out", "Key": "quarantine/t/s1/bad.csv", "CopySource": {"Bucket": "in", "Key": "bad.csv"}},
    )

    store.copy("s3://in/bad.csv", "s3://out/quarantine/t/s1/bad.csv")


def test_a_whole_read_asks_for_no_range(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response("get_object", {"Body": _body(b"{}")}, {"Bucket": "assets", "Key": "manifests/m.json"})

    assert store.read_bytes("s3://assets/manifests/m.json") == b"{}"


def test_an_access_error_is_not_mistaken_for_a_missing_object(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_client_error("head_object", "403", http_status_code=403)

    with pytest.raises(ClientError):
        store.info("s3://in/secret.csv")


def test_an_object_over_five_gib_is_not_copied(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    stubber.add_response(
        "head_object", {"ContentLength": 5 * 1024**3 + 1, "ETag": '"e"'}, {"Bucket": "in", "Key": "big.csv"}
    )

    with pytest.raises(ValueError, match=r"s3://in/big\.csv is 5368709121 bytes; a single copy is limited to 5 GiB"):
        store.copy("s3://in/big.csv", "s3://out/quarantine/t/s1/big.csv")


def test_the_report_is_written_with_its_content_type(s3: tuple[S3ObjectStore, Stubber]) -> None:
    store, stubber = s3
    expected: dict[str, Any] = {
        "Bucket": "assets",
        "Key": "reports/j/r.json",
        "Body": b"{}",
        "ContentType": "application/json",
    }
    stubber.add_response("put_object", {}, expected)

    store.write_bytes("s3://assets/reports/j/r.json", b"{}", "application/json")
