"""The real server jar and a real HTTP target for the tests; nothing here is mocked."""
from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar

ROOT = Path(__file__).resolve().parents[3]
JAR = ROOT / "offload-server" / "target" / "offload.jar"
START_TIMEOUT = 60.0

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
"""Two Standard Webhooks secrets: the server signs with both (a rotation), current first."""
OLD_SECRET = "whsec_" + base64.b64encode(b"the-previous-secret-of-32-bytes!").decode("ascii")

T = TypeVar("T")
_numbers = itertools.count(1)


def fresh(prefix: str) -> str:
    """A name of its own per test (a queue, a task name), so lists see only that test's tasks."""
    return f"{prefix}-{os.getpid()}-{next(_numbers)}"


def java_binary() -> str:
    """A JDK 21+ as the repository's scripts find it (JAVA_HOME, then /usr/lib/jvm): the default java may be older."""
    java_home = subprocess.run(
        ["bash", "-c", '. "$1" && offload_find_jdk >&2 && printf %s "$JAVA_HOME"', "find-jdk", str(ROOT / "bin" / "find-jdk.sh")],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    return str(Path(java_home) / "bin" / "java")


class OffloadServer:
    """
    The real server jar as a child process, as a user runs it: ``offload serve --port 0`` on a
    fresh SQLite folder, with signing on. ``restart()`` kills it (SIGKILL, as a crash) and starts it
    again on the same folder and port.
    """

    def __init__(self, secrets: Sequence[str] = (SECRET, OLD_SECRET), args: Sequence[str] = ()) -> None:
        if not JAR.exists():
            raise RuntimeError(f"{JAR} is missing: build it first from the repository root with ./build -q -DskipTests package")
        self._data_dir = tempfile.mkdtemp(prefix="offload-py-")
        self._env = {name: value for name, value in os.environ.items() if not name.startswith("OFFLOAD_")}
        self._env["OFFLOAD_SIGNING_SECRETS"] = ",".join(secrets)
        self._args = list(args)
        self._process: Optional[subprocess.Popen[str]] = None
        self._log: List[str] = []
        self._log_lock = threading.Lock()
        try:
            self.url = self._launch(0)
        except BaseException:
            self.stop()
            raise

    def log(self) -> str:
        with self._log_lock:
            return "".join(self._log)

    def restart(self) -> None:
        self.crash()
        self.start_again()

    def crash(self) -> None:
        """Kills the server as a crash would (SIGKILL): its port answers nothing until ``start_again``."""
        self._kill()

    def start_again(self) -> None:
        """Starts the server again on its folder and port."""
        self._launch(int(self.url.rsplit(":", 1)[1]))

    def stop(self) -> None:
        self._kill()
        shutil.rmtree(self._data_dir, ignore_errors=True)

    def _launch(self, port: int) -> str:
        with self._log_lock:
            started = len(self._log)
        self._process = subprocess.Popen(
            [java_binary(), "--enable-native-access=ALL-UNNAMED", "-jar", str(JAR), "serve", "--port", str(port),
             "--data-dir", self._data_dir, *self._args],
            env=self._env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, args=(self._process,), daemon=True).start()

        def port_logged() -> Optional[str]:
            self._check_alive()
            with self._log_lock:
                match = re.search(r"listening on (http://[\d.]+:\d+)", "".join(self._log[started:]))
            return match.group(1) if match else None

        url = until(port_logged, "offload serve to log its port", START_TIMEOUT, self.log)
        until(lambda: self._check_alive() or _ready(url), f"{url}/readyz to answer 200", START_TIMEOUT, self.log)
        return url

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with self._log_lock:
                self._log.append(line)

    def _check_alive(self) -> None:
        if self._process is not None and self._process.poll() is not None:
            raise RuntimeError(f"offload serve exited with {self._process.returncode}:\n{self.log()}")

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait()
            if self._process.stdout is not None:
                self._process.stdout.close()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def until(check: Callable[[], Optional[T]], what: str, timeout: float = 30.0,
          log: Callable[[], str] = lambda: "") -> T:
    """Waits until ``check()`` answers something truthy (and answers that), or fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} within {timeout:g}s\n{log()[-4000:]}")
        time.sleep(0.05)


@dataclass
class Call:
    method: str
    path: str
    headers: Any
    """The request's headers as ``http.server`` gives them: an ``email.message.Message``, names in any case."""
    raw_body: bytes
    body: str = field(init=False)

    def __post_init__(self) -> None:
        self.body = self.raw_body.decode("utf-8")


@dataclass
class Reply:
    status: int = 200
    json: Any = field(default_factory=lambda: {"ok": True})


class Target:
    """
    A real HTTP endpoint for Offload to call: records every request (method, path, headers, raw
    body) and answers with what ``respond(call)`` returns, by default 200 ``{"ok":true}``.
    """

    def __init__(self, respond: Callable[[Call], Reply] = lambda call: Reply()) -> None:
        self.calls: List[Call] = []
        self._arrived = threading.Condition()
        target = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                call = Call(self.command, self.path, self.headers, self.rfile.read(length))
                with target._arrived:
                    target.calls.append(call)
                    target._arrived.notify_all()
                reply = respond(call)
                data = b"" if reply.json is None else json.dumps(reply.json).encode("utf-8")
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_DELETE = do_PATCH = do_POST

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet: the calls are kept
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def call_to(self, path: str, predicate: Callable[[Call], bool] = lambda call: True, timeout: float = 15.0) -> Call:
        """The first call on ``path`` matching ``predicate``, waiting up to ``timeout`` seconds for it."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = next((c for c in self.calls if c.path == path and predicate(c)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no call to {path} within {timeout:g}s; calls: "
                                         f"{', '.join(c.path for c in self.calls) or 'none'}")
                self._arrived.wait(left)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def headers_of(call: Call) -> Dict[str, str]:
    return {name.lower(): value for name, value in call.headers.items()}


def serve(respond: Callable[[Call], Reply] = lambda call: Reply(), **server: Any) -> Tuple[OffloadServer, Target, Any]:
    """A server, a target and a client of the server for one test module, stopped when the module's tests end."""
    from offload import Offload

    started = OffloadServer(**server)
    unittest.addModuleCleanup(started.stop)
    target = Target(respond)
    unittest.addModuleCleanup(target.close)
    return started, target, Offload(started.url)
