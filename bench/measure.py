"""Timing one child process for the benchmarks: wall and CPU seconds, peak RSS of its process tree.

``run_child`` runs a command with the checkout's ``src`` first on ``PYTHONPATH``
(the project's own code, not an installed copy), samples the RSS of the child
and its descendants every 50 ms (psutil), and takes the CPU time of the whole
tree from ``resource.getrusage(RUSAGE_CHILDREN)``.  A failing command stops the
benchmark with its stderr.  ``commit_all`` makes a folder a git repository with
one commit, as a new user's corpus would be.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Child:
    wall: float
    cpu: float
    largest_mib: float
    tree_mib: float
    stdout: str


class Sampler:
    """Peak RSS of a process tree: of its largest process, and summed."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.psutil, self.root = psutil, psutil.Process(pid)
        self.largest = self.tree = 0

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except self.psutil.Error:
            return
        sizes = []
        for process in processes:
            try:
                sizes.append(process.memory_info().rss)
            except self.psutil.Error:
                continue
        if sizes:
            self.largest, self.tree = max(self.largest, max(sizes)), max(self.tree, sum(sizes))


def run_child(command: list[str], cwd: Path) -> Child:
    """Run ``command`` to completion in ``cwd``, measured; exit with its stderr if it fails."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = Sampler(child.pid)

    def sample() -> None:
        while child.poll() is None:
            sampler.sample()
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = child.communicate()
    wall = time.perf_counter() - start
    thread.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{err.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Child(wall, cpu, sampler.largest / 2**20, sampler.tree / 2**20, out.decode())


class Timed(Protocol):
    @property
    def wall(self) -> float: ...
    @property
    def cpu(self) -> float: ...


def child_json(script: str, *args: str) -> dict[str, float]:
    """``python SCRIPT --child ARGS`` in a fresh interpreter (one measure, alone): the JSON it prints."""
    command = [sys.executable, script, "--child", *args]
    result: dict[str, float] = json.loads(
        subprocess.run(command, check=True, capture_output=True, text=True).stdout
    )
    return result


def per_extra_doc(small: Timed, large: Timed, extra: int) -> tuple[float, float]:
    """Seconds per extra document between a run on N and one on 4N: wall, and CPU (start-up cancels)."""
    return (large.wall - small.wall) / extra, (large.cpu - small.cpu) / extra


def commit_all(folder: Path) -> None:
    """``git init`` and one commit of everything in ``folder``."""
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "synthetic corpus"], cwd=folder, check=True)
