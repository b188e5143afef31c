"""pyHanko's API is asynchronous; the services are not. ``run_coroutine`` runs one coroutine to
completion from synchronous code, also when the calling thread already runs an event loop (an
ASGI server, a test tool): then it runs it on a short-lived thread of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vanthu-pyhanko") as executor:
        return executor.submit(asyncio.run, coroutine).result()
