"""Normalised values: one canonical text per value, and their form in gold files.

``Span.value`` is always a string.  QUANTITY values are decimal numbers written
canonically (``1900000``, ``1.5``: no exponent, no trailing zeros), so the same
number is always the same string; in the gold files they are JSON numbers, as
the annotation spec says.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rasd.core.labels import NUMERIC_LABELS


def value_to_json(label: str, value: str | None) -> str | int | float | None:
    """QUANTITY values are JSON numbers in the gold files (the spec), strings elsewhere."""
    if value is None or label not in NUMERIC_LABELS:
        return value
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(value)


def value_from_json(label: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a boolean is not a value")
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def format_number(value: int | float | str | Decimal) -> str:
    """The canonical decimal string of a number: no exponent, no trailing zeros."""
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def is_number(value: str) -> bool:
    """True when ``value`` is a finite decimal number (what a QUANTITY value must be)."""
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False
