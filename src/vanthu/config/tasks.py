"""Huey wiring: the queue itself is configured in settings (SQLite embedded, Redis in
production, immediate in unit tests); each app keeps its tasks in its own tasks.py."""
