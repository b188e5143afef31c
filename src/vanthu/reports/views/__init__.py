"""The screens of the reports app, one module a subject (statistics, registers to print)."""
