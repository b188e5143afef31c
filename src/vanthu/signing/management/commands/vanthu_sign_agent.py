"""``vanthu sign-agent``: run the local signing agent (a stand-in of the VGCA Sign Service).

The key is a PKCS#12 file: ``--pkcs12 PATH`` or ``VANTHU_SIGN_AGENT_PKCS12``; its password comes from
``VANTHU_SIGN_AGENT_PASSWORD`` only (never on the command line). ``--origin`` (or
``VANTHU_SIGN_AGENT_ORIGIN``) is the Vanthu address whose pages may use the agent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from vanthu.signing.sign_agent import DEFAULT_PORT
from vanthu.signing.sign_agent import AgentConfig
from vanthu.signing.sign_agent import AgentError
from vanthu.signing.sign_agent import load_agent_key
from vanthu.signing.sign_agent import make_server


class Command(BaseCommand):
    help = "Run the local signing agent on 127.0.0.1 with a software key (PKCS#12)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("VANTHU_SIGN_AGENT_PORT", DEFAULT_PORT)))
        parser.add_argument("--origin", default=os.environ.get("VANTHU_SIGN_AGENT_ORIGIN", "http://127.0.0.1:8000"))
        parser.add_argument("--pkcs12", default=os.environ.get("VANTHU_SIGN_AGENT_PKCS12", ""))

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["pkcs12"]:
            raise CommandError(_("Name the PKCS#12 key file with --pkcs12 or VANTHU_SIGN_AGENT_PKCS12."))
        try:
            data = Path(options["pkcs12"]).read_bytes()
        except OSError as error:
            raise CommandError(_("The key file cannot be read: %(error)s") % {"error": error}) from error
        try:
            key = load_agent_key(data, os.environ.get("VANTHU_SIGN_AGENT_PASSWORD") or None)
            config = AgentConfig(origin=options["origin"], key=key)
            server = make_server(config, port=options["port"])
        except AgentError as error:
            raise CommandError(error.message) from error
        host, port = server.server_address[:2]
        self.stdout.write(
            _("Signing agent on http://%(host)s:%(port)s for %(origin)s, certificate %(subject)s (SHA-256 %(sha256)s)")
            % {"host": host, "port": port, "origin": config.origin, "subject": key.subject, "sha256": key.sha256}
        )
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
