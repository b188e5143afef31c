"""Backups: consistent database dumps and content-addressed copies of the stored files in two
independent destinations, with retention; restores into an empty installation."""
