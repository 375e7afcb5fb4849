"""The few file operations the job does outside Spark, behind one interface with a local and an S3 implementation.

Spark reads and writes the data itself (s3:// in Glue, local paths in tests); these are the small side jobs
around it: read the manifest, read a file's first bytes for the sample, check that an object is still the version
the manifest names, copy an unreadable file to quarantine, write the report.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class ObjectNotFoundError(FileNotFoundError):
    """The object (or file) does not exist."""


@dataclass(frozen=True)
class ObjectInfo:
    """What the job needs to know about an object before reading it."""

    size: int
    e_tag: str | None
    version_id: str | None


class ObjectStore(Protocol):
    """URIs are whatever the implementation understands: `s3://bucket/key` or a local path."""

    def info(self, uri: str) -> ObjectInfo:
        """Raises ObjectNotFoundError when there is nothing at `uri`."""
        ...

    def read_bytes(self, uri: str, max_bytes: int | None = None) -> bytes: ...

    def write_bytes(self, uri: str, data: bytes, content_type: str) -> None: ...

    def copy(self, source_uri: str, target_uri: str) -> None: ...


class LocalObjectStore:
    """Plain files; ETags are the size and modification time, which change whenever the file does."""

    def info(self, uri: str) -> ObjectInfo:
        try:
            stat = os.stat(uri)
        except FileNotFoundError as error:
            raise ObjectNotFoundError(uri) from error
        return ObjectInfo(size=stat.st_size, e_tag=local_e_tag(Path(uri)), version_id=None)

    def read_bytes(self, uri: str, max_bytes: int | None = None) -> bytes:
        try:
            with open(uri, "rb") as file:
                return file.read() if max_bytes is None else file.read(max_bytes)
        except FileNotFoundError as error:
            raise ObjectNotFoundError(uri) from error

    def write_bytes(self, uri: str, data: bytes, content_type: str) -> None:
        del content_type  # files have no content type; kept for the interface
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
        Path(uri).write_bytes(data)

    def copy(self, source_uri: str, target_uri: str) -> None:
        Path(target_uri).parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source_uri, target_uri)
        except FileNotFoundError as error:
            raise ObjectNotFoundError(source_uri) from error


def local_e_tag(path: Path) -> str:
    """A weak ETag for local files: reading the whole file for a hash would cost one more pass over the input."""
    stat = path.stat()
    return f"{stat.st_size:x}-{stat.st_mtime_ns:x}"
