"""Argument types shared by the player's commands (argparse turns ValueError into
a one-line usage error with exit status 2)."""

from __future__ import annotations

import argparse

from coterm_tui.core.timeline import SPEEDS, parse_time


def time_arg(text: str) -> float:
    """Seconds (``12.5``) or ``[h:]mm:ss[.f]``."""
    try:
        return parse_time(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc} (use seconds or [h:]mm:ss)") from None


def speed_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not SPEEDS[0] <= value <= SPEEDS[-1]:
        raise argparse.ArgumentTypeError(f"speed must be between 1/16 and 16, got {text}")
    return value


def seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1e9:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text}")
    return value
