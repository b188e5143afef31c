"""The ``vanthu`` command: demo, serve, worker, manage …, audit verify."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanthu.config.settings.embedded")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command == "demo":
        # Demo mode: passwords are printed and two-factor may be off; it says so when it starts.
        os.environ.setdefault("VANTHU_DEMO", "1")
        os.environ.setdefault("VANTHU_TWO_FACTOR_REQUIRED", "0")
    if command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["vanthu manage", *rest])
        return 0
    mapping = {
        "demo": ["vanthu_demo"],
        "serve": ["vanthu_serve"],
        "worker": ["run_huey"],
        "sign-agent": ["vanthu_sign_agent"],
        "audit": ["audit_verify"] if rest[:1] == ["verify"] else None,
        "backup": ["vanthu_backup"],
        "restore": ["vanthu_restore"],
        "verify-storage": ["verify_storage"],
        "seed-scale": ["seed_scale"],
        "bench": ["vanthu_bench"],
    }
    django_args = mapping.get(command)
    if django_args is None:
        print(USAGE, file=sys.stderr)
        return 2
    if command == "audit":
        rest = rest[1:]
    import django
    from django.core.management import call_command

    django.setup()
    try:
        call_command(*django_args, *rest)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


USAGE = """usage: vanthu <command>

  demo            migrate, load the demo province (idempotent) and serve it on 127.0.0.1:8000
  serve           serve the application with a background worker in the same process
  worker          run the background worker (Huey consumer) alone
  manage …        Django's management commands
  audit verify    walk the audit chains and name the first broken row
  backup          back up the database and every stored file to the configured destinations
  restore         rebuild an empty installation from a backup
  verify-storage  check every stored file against its SHA-256
  seed-scale      generate a province-scale synthetic province (--documents N, --seed S)
  bench           run the benchmarks (benchmarks/) and write JSON and benchmarks/RESULTS.md
  sign-agent      run the local signing agent on 127.0.0.1 (software key: VANTHU_SIGN_AGENT_PKCS12,
                  VANTHU_SIGN_AGENT_PASSWORD; --origin of the Vanthu pages that may use it)
"""

if __name__ == "__main__":
    sys.exit(main())
