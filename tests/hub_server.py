"""A small in-memory stand-in for the Hugging Face Hub's HTTP API, for tests only.

No locally runnable Hub-compatible server exists as a package that works with
huggingface-hub 2.x (the candidates need a Go binary, a Postgres/S3 stack, or
only mirror downloads), so this one speaks just enough of the Hub's public
REST protocol for the *real* ``huggingface_hub`` client and ``datasets`` to run
unchanged against it:

- ``POST /api/repos/create``; ``POST /api/datasets/{id}/preupload/{rev}``
  (every file "regular", i.e. inline base64; the client must run with
  ``HF_HUB_DISABLE_XET=1`` since Xet storage is not implemented);
  ``POST /api/datasets/{id}/commit/{rev}`` (NDJSON); ``POST .../tag/{rev}``;
- ``GET /api/datasets/{id}/revision/{rev}``, ``GET .../tree/{rev}[/{path}]``,
  ``POST .../paths-info/{rev}`` and ``GET|HEAD /datasets/{id}/resolve/{rev}/{path}``
  (with ``Range``), which is what ``load_dataset(id, revision=...)`` reads.

Revisions are branches, tags or commit ids; every commit is a full snapshot.
Anything else answers 404 and is logged in ``Hub.unknown`` so a test can show
what the client asked for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass
class Repo:
    private: bool
    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # branch or tag → commit id
    tags: set[str] = field(default_factory=set)

    def commit(self, files: dict[str, bytes], message: str) -> str:
        oid = hashlib.sha1(json.dumps([message, len(self.commits), sorted(files)]).encode()).hexdigest()
        self.commits[oid] = files
        self.messages[oid] = message
        self.refs["main"] = oid
        return oid

    def resolve(self, revision: str) -> str | None:
        return self.refs.get(revision) or (revision if revision in self.commits else None)


@dataclass
class Hub:
    base_url: str = ""
    repos: dict[str, Repo] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


_API = re.compile(
    r"^/api/datasets/([^/]+/[^/]+)/(revision|tree|paths-info|preupload|commit|tag)/([^/]+)(?:/(.*))?$"
)
_REFS = re.compile(r"^/api/datasets/([^/]+/[^/]+)/refs$")
_RESOLVE = re.compile(r"^/datasets/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$")


def _entry(path: str, data: bytes | None) -> dict[str, Any]:
    if data is None:
        return {"type": "directory", "path": path, "oid": hashlib.sha1(path.encode()).hexdigest(), "size": 0}
    return {"type": "file", "path": path, "oid": blob_id(data), "size": len(data)}


def _listing(files: dict[str, bytes], folder: str, recursive: bool) -> list[dict[str, Any]]:
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    entries: dict[str, dict[str, Any]] = {}
    for path, data in sorted(files.items()):
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix) :].split("/")
        for depth in range(1, len(rest)):
            directory = prefix + "/".join(rest[:depth])
            if recursive or depth == 1:
                entries.setdefault(directory, _entry(directory, None))
        if recursive or len(rest) == 1:
            entries[path] = _entry(path, data)
    return list(entries.values())


class Handler(BaseHTTPRequestHandler):
    hub: Hub

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, value: Any, status: int = 200) -> None:
        self._send(status, json.dumps(value).encode(), {"Content-Type": "application/json"})

    def _missing(self) -> None:
        self.hub.unknown.append(f"{self.command} {self.path}")
        self._send(
            404,
            b'{"error": "not found"}',
            {"Content-Type": "application/json", "X-Error-Code": "EntryNotFound"},
        )

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if match := _RESOLVE.match(url.path):
            return self._resolve(unquote(match.group(1)), unquote(match.group(2)), unquote(match.group(3)))
        if refs := _REFS.match(url.path):
            return self._refs(unquote(refs.group(1)))
        match = _API.match(url.path)
        if not match:
            return self._missing()
        repo_id, action, revision, rest = (unquote(g) if g else g for g in match.groups())
        repo = self.hub.repos.get(repo_id)
        oid = repo.resolve(revision) if repo else None
        if repo is None or oid is None:
            return self._missing()
        files = repo.commits[oid]
        if action == "revision":
            return self._json(
                {
                    "id": repo_id,
                    "sha": oid,
                    "private": repo.private,
                    "siblings": [{"rfilename": p} for p in sorted(files)],
                    "tags": [],
                    "lastModified": "2026-01-01T00:00:00.000Z",
                    "cardData": {},
                }
            )
        if action == "tree":
            recursive = query.get("recursive", ["false"])[0].lower() in ("1", "true")
            return self._json(_listing(files, rest or "", recursive))
        return self._missing()

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path == "/api/repos/create":
            return self._create(json.loads(body))
        if url.path == "/api/validate-yaml":
            return self._validate_yaml(json.loads(body)["content"])
        match = _API.match(url.path)
        if not match:
            return self._missing()
        repo_id, action, revision, _ = (unquote(g) if g else g for g in match.groups())
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self._missing()
        oid = repo.resolve(revision)
        if action == "preupload":
            files = json.loads(body)["files"]
            return self._json(
                {
                    "files": [
                        {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
                    ]
                }
            )
        if action == "commit":
            return self._commit(repo_id, repo, body)
        if action == "tag" and oid is not None:
            tag = json.loads(body)["tag"]
            if tag in repo.refs:
                return self._json({"error": f"tag {tag} exists"}, 409)
            repo.refs[tag] = oid
            repo.tags.add(tag)
            return self._json({})
        if action == "paths-info" and oid is not None:
            wanted = parse_qs(body.decode()).get("paths") or json.loads(body or b"{}").get("paths", [])
            files = repo.commits[oid]
            found = []
            for p in wanted:
                if p in files:
                    found.append(_entry(p, files[p]))
                elif any(f.startswith(p.rstrip("/") + "/") for f in files):
                    found.append(_entry(p, None))
            return self._json(found)
        return self._missing()

    def _refs(self, repo_id: str) -> None:
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self._missing()

        def ref(name: str, kind: str) -> dict[str, str]:
            return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": repo.refs[name]}

        branches = [ref(n, "heads") for n in sorted(repo.refs) if n not in repo.tags]
        self._json(
            {"branches": branches, "converts": [], "tags": [ref(n, "tags") for n in sorted(repo.tags)]}
        )

    def _create(self, request: dict[str, Any]) -> None:
        repo_id = (
            f"{request['organization']}/{request['name']}" if request.get("organization") else request["name"]
        )
        with self.hub.lock:
            if repo_id not in self.hub.repos:
                repo = Repo(private=bool(request.get("private")))
                repo.commit(
                    {".gitattributes": b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"}, "initial commit"
                )
                self.hub.repos[repo_id] = repo
            elif not request.get("exist_ok", True):
                return self._json({"error": "exists"}, 409)
        self._json({"url": f"{self.hub.base_url}/datasets/{repo_id}", "name": repo_id})

    def _validate_yaml(self, content: str) -> None:
        """The card's YAML header must parse (the Hub checks much more)."""
        match = re.match(r"\A---\n(.*?)\n---\n", content, re.DOTALL)
        try:
            yaml.safe_load(match.group(1) if match else "")
        except yaml.YAMLError as exc:
            return self._json({"errors": [{"message": str(exc)}], "warnings": []}, 400)
        self._json({"errors": [], "warnings": []})

    def _commit(self, repo_id: str, repo: Repo, body: bytes) -> None:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        files = dict(repo.commits[repo.refs["main"]])
        summary = "commit"
        for line in lines:
            key, value = line["key"], line["value"]
            if key == "header":
                summary = value.get("summary", summary)
            elif key == "file":
                files[value["path"]] = base64.b64decode(value["content"])
            elif key == "deletedFile":
                files.pop(value["path"], None)
            elif key == "deletedFolder":
                for p in [p for p in files if p.startswith(value["path"].rstrip("/") + "/")]:
                    files.pop(p)
            else:
                return self._json({"error": f"unsupported operation {key}"}, 400)
        with self.hub.lock:
            oid = repo.commit(files, summary)
        self._json({"commitUrl": f"{self.hub.base_url}/datasets/{repo_id}/commit/{oid}", "commitOid": oid})

    def _resolve(self, repo_id: str, revision: str, path: str) -> None:
        repo = self.hub.repos.get(repo_id)
        oid = repo.resolve(revision) if repo else None
        if repo is None or oid is None or path not in repo.commits[oid]:
            return self._missing()
        data = repo.commits[oid][path]
        headers = {"ETag": f'"{blob_id(data)}"', "X-Repo-Commit": oid, "Accept-Ranges": "bytes"}
        ranged = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if ranged:
            start = int(ranged.group(1))
            end = int(ranged.group(2)) if ranged.group(2) else len(data) - 1
            end = min(end, len(data) - 1)
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            return self._send(206, data[start : end + 1], headers)
        self._send(200, data, headers)


def serve() -> tuple[ThreadingHTTPServer, Hub]:
    """Start the server on a free local port in a daemon thread."""
    hub = Hub()
    handler = type("BoundHandler", (Handler,), {"hub": hub})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    hub.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hub
