"""``rasd ls serve`` (the Label Studio ML backend) and ``rasd ls learned`` (what it has learned)."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

from rasd.core.paths import Repo
from rasd.formats.learned import LearnedName, learned_path, read_learned

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9090


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace, repo: Repo) -> int:
    from rasd.serve import backend_server  # lazily: it imports pandas, which other ls commands do without

    server, model = backend_server(repo, args.host, args.port, log=None if args.quiet else _log)
    port = server.server_address[1]
    print(f"Rasd ML backend on http://{args.host}:{port} (model version {model.version()})", flush=True)
    print(f"learned names: {repo.relative(learned_path(repo))} (candidates, never gold)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def learned_table(names: tuple[LearnedName, ...]) -> list[str]:
    """One line per (label, text): in how many tasks, by which annotators, first learned when."""
    grouped: dict[tuple[str, str], list[LearnedName]] = defaultdict(list)
    for name in names:
        grouped[(name.label, name.text)].append(name)
    lines = []
    for (label, text), items in sorted(grouped.items()):
        tasks = len({n.task for n in items})
        annotators = ", ".join(sorted({n.annotator for n in items}))
        first = min(n.time for n in items)
        lines.append(f"{label}\t{text}\t{tasks} task(s)\tannotator(s) {annotators}\tsince {first}")
    return lines


def cmd_learned(args: argparse.Namespace, repo: Repo) -> int:
    path = learned_path(repo)
    names = read_learned(path, file=repo.relative(path))
    for line in learned_table(names):
        print(line)
    print(f"{len(names)} learned line(s) in {repo.relative(path)}: candidates for the lexicon, never gold")
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535; 0 picks a free one)")
    return int(text)


def register_ls(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``learned`` to the ``rasd ls`` sub-commands."""
    p = commands.add_parser(
        "serve",
        help="run the pre-annotator as a Label Studio ML backend that learns the names annotators label",
    )
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--quiet", action="store_true", help="no line per request on stderr")
    p.set_defaults(handler=cmd_serve)
    p = commands.add_parser("learned", help="list the names `rasd ls serve` learned (candidates, never gold)")
    p.set_defaults(handler=cmd_learned)
