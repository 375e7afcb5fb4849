"""`moto_server` with one addition: DynamoDB requests are served one at a time.

DynamoDB applies an UpdateItem atomically: a reader sees the item before or after it, never half of it. moto's
server handles requests on threads and applies an update's `SET` actions one after the other, so a GetItem or
Query in between can see, say, `status = succeeded` with the row counts still null, which the real service never
shows. The end-to-end test saw exactly that. The harness supplies the atomicity, so a reader only ever sees what
DynamoDB could show; every other service keeps moto's threads (SQS long polls must not block the server).

    .venv/bin/python operator-cli/test/support/moto_server.py HOST PORT
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple

DYNAMODB_TARGET_PREFIX = "DynamoDB_"


def dynamodb_serialized(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    lock = threading.Lock()

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith(DYNAMODB_TARGET_PREFIX):
            return app(environ, start_response)
        with lock:
            return list(app(environ, start_response))  # the whole answer, before the next request is served

    return serve


def main(host: str, port: int) -> None:
    run_simple(
        host,
        port,
        dynamodb_serialized(DomainDispatcherApplication(create_backend_app)),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
