"""Screens of incoming documents (queues, receipt, detail, actions, registers)."""
