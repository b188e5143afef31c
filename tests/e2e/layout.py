"""Checks of a page's layout shared by the browser journeys."""

from __future__ import annotations

from typing import Any


def assert_no_horizontal_scroll(page: Any) -> None:
    """Nothing sticks out sideways: the page is no wider than the window (a phone's 375 px)."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
