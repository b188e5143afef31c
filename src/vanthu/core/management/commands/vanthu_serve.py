"""Serve the application (waitress) with a background worker (Huey consumer threads) in the
same process — the embedded mode. Production runs gunicorn and `vanthu worker` instead."""

from __future__ import annotations

import signal
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.base import CommandParser


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Serve Vanthu with a background worker in the same process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="background worker threads")
        parser.add_argument("--no-worker", action="store_true", help="serve without the background worker")
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.wsgi import get_wsgi_application
        from huey.contrib.djhuey import HUEY
        from waitress import serve

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        application = get_wsgi_application()  # after collectstatic: WhiteNoise scans the folder now
        consumer = None
        if not options["no_worker"] and not HUEY.immediate:
            consumer = HUEY.create_consumer(workers=options["workers"], worker_type="thread", periodic=True)
            consumer.start()
            # Huey installs handlers meant for its own loop; this process is waitress's.
            signal.signal(signal.SIGTERM, _exit_on_term)
            signal.signal(signal.SIGINT, signal.default_int_handler)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Vanthu is serving on {url} (mode: {settings.VANTHU_MODE})"))
        sys.stdout.flush()
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="Vanthu",
                clear_untrusted_proxy_headers=True,
            )
        except KeyboardInterrupt:
            pass
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
