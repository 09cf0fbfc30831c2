"""A table of every code point's value, filled the first time each code point is met.

Looking a text's code points up in it is one numpy indexing, where ``str.translate``
or a regex visit every code point as a Python object.  The value 0 means "not looked
at yet", so the function that fills the table never returns 0.  Only the pages of
code points seen are touched (4 bytes a code point of address space for ``uint32``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

UNSEEN = 0
"""A code point not looked at yet."""

CODE_POINTS = 0x110000

V = TypeVar("V", np.uint8, np.uint32)


class CodePointTable(Generic[V]):
    """Code point -> ``value_of(chr(code))``, one array, filled in as code points are first seen."""

    def __init__(self, value_of: Callable[[str], int], dtype: type[V]) -> None:
        self.value_of = value_of
        self.values: npt.NDArray[V] = np.zeros(CODE_POINTS, dtype=dtype)

    def lookup(self, codes: npt.NDArray[np.uint32]) -> npt.NDArray[V]:
        """The value of each of ``codes`` (a text's code points, e.g. from its UTF-32)."""
        found: npt.NDArray[V] = self.values[codes]
        if not found.all():
            for code in np.unique(codes[found == UNSEEN]).tolist():
                self.values[code] = self.value_of(chr(code))
            found = self.values[codes]
        return found
