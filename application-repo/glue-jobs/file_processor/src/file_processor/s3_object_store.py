"""ObjectStore on Amazon S3 through a boto3 client (the client is passed in, so tests use botocore's Stubber)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from file_processor.object_store import ObjectInfo, ObjectNotFoundError

_NOT_FOUND_CODES = {"404", "NoSuchKey", "NotFound"}
_MAX_COPY_OBJECT_BYTES = 5 * 1024**3


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/key` to (bucket, key), the key exactly as written.

    Not `urlparse`: it would cut a key at `#` or `?` (a fragment, a query), and S3 allows both in keys.
    """
    scheme, separator, rest = uri.partition("://")
    bucket, _, key = rest.partition("/")
    if scheme != "s3" or not separator or not bucket or not key:
        raise ValueError(f"expected an s3://bucket/key URI, got {uri!r}")
    return bucket, key


class S3ObjectStore:
    def __init__(self, client: Any) -> None:
        self._client = client

    def info(self, uri: str) -> ObjectInfo:
        bucket, key = split_s3_uri(uri)
        try:
            head = self._client.head_object(Bucket=bucket, Key=key)
        except ClientError as error:
            raise _translated(error, uri) from error
        return ObjectInfo(
            size=int(head["ContentLength"]),
            e_tag=str(head.get("ETag", "")).strip('"') or None,
            version_id=head.get("VersionId"),
        )

    def read_bytes(self, uri: str, max_bytes: int | None = None) -> bytes:
        bucket, key = split_s3_uri(uri)
        request: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if max_bytes is not None:
            request["Range"] = f"bytes=0-{max_bytes - 1}"
        try:
            response = self._client.get_object(**request)
        except ClientError as error:
            # A range on an empty object is "not satisfiable": the honest answer is "no bytes".
            if error.response.get("Error", {}).get("Code") == "InvalidRange":
                return b""
            raise _translated(error, uri) from error
        body: bytes = response["Body"].read()
        return body

    def write_bytes(self, uri: str, data: bytes, content_type: str) -> None:
        bucket, key = split_s3_uri(uri)
        self._client.put_object(Bucket=bucket, Key=key, Body=data, ContentType=content_type)

    def copy(self, source_uri: str, target_uri: str) -> None:
        """Single-request copy; objects over 5 GiB are refused (they stay in the input bucket, see the report)."""
        source_bucket, source_key = split_s3_uri(source_uri)
        target_bucket, target_key = split_s3_uri(target_uri)
        size = self.info(source_uri).size
        if size > _MAX_COPY_OBJECT_BYTES:
            raise ValueError(f"{source_uri} is {size} bytes; a single copy is limited to 5 GiB")
        self._client.copy_object(
            Bucket=target_bucket,
            Key=target_key,
            CopySource={"Bucket": source_bucket, "Key": source_key},
        )


def _translated(error: ClientError, uri: str) -> Exception:
    code = str(error.response.get("Error", {}).get("Code", ""))
    if code in _NOT_FOUND_CODES:
        return ObjectNotFoundError(uri)
    translated: Exception = error
    return translated
