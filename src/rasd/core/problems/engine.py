"""Catalogue entries: the parallel engine (RASD-E09x, in the requests range)."""

from __future__ import annotations

from rasd.core.errors import RequestError, problem

UNKNOWN_ENGINE = problem(
    "RASD-E091",
    RequestError,
    "unknown engine {engine!r}",
    fix="use one of {known} (--engine, or the RASD_ENGINE variable)",
    meaning="The engine named by --engine or RASD_ENGINE is not one Rasd knows.",
)
BAD_WORKERS = problem(
    "RASD-E092",
    RequestError,
    "--workers must be a whole number of at least 1, not {workers!r}",
    fix="pass --workers N with N ≥ 1, or leave it out to use every core",
    meaning="The worker count is not a positive whole number.",
)
