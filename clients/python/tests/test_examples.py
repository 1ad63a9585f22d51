from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Tuple

from offload import Offload

from .support import ROOT, SECRET, OffloadServer, serve, until

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLIENT = EXAMPLES.parent

HAVE_FASTAPI = all(importlib.util.find_spec(module) is not None for module in ("fastapi", "uvicorn"))

server: OffloadServer
offload: Offload
children: List[subprocess.Popen] = []


class Child:
    """An example started as the README says, in a process of its own, with its output kept."""

    def __init__(self, args: List[str], env: Dict[str, str], ready: str) -> None:
        self.process = subprocess.Popen([sys.executable, *args], cwd=EXAMPLES, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        children.append(self.process)
        self.lines: List[str] = []
        threading.Thread(target=self._read, daemon=True).start()

        def started() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"{args} exited with {self.process.returncode}:\n{self.output()}")
            return ready in self.output()
        until(started, f"{args} started", 30, self.output)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)


def setUpModule() -> None:
    global server, offload
    if not HAVE_FASTAPI:
        if os.environ.get("CI") == "true":
            raise RuntimeError("the examples need FastAPI and uvicorn (apt-get install python3-fastapi python3-uvicorn)")
        raise unittest.SkipTest("FastAPI and uvicorn are not installed (apt-get install python3-fastapi python3-uvicorn)")
    server, _, offload = serve(secrets=(SECRET,))


def tearDownModule() -> None:
    for child in children:
        if child.poll() is None:
            child.kill()
            child.wait()


def example_env() -> Dict[str, str]:
    """As after ``pip install ./clients/python``: the package importable, the server and its secret in the environment."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("OFFLOAD_")}
    env.update(OFFLOAD_URL=server.url, OFFLOAD_SIGNING_SECRETS=SECRET,
               PYTHONPATH=os.pathsep.join(filter(None, [str(CLIENT), env.get("PYTHONPATH")])))
    return env


def post(url: str, body: Any) -> Tuple[int, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ExamplesTest(unittest.TestCase):
    app: str

    @classmethod
    def setUpClass(cls) -> None:
        port = free_port()
        Child(["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)], example_env(), "Uvicorn running")
        cls.app = f"http://127.0.0.1:{port}"

    def test_the_route_enqueues_render_pdf_and_worker_py_renders_it_sigterm_stops_the_worker(self) -> None:
        worker = Child(["worker.py"], example_env(), "runs render-pdf from queue pdf")

        status, created = post(f"{self.app}/api/render-pdf", {"invoiceId": 7})

        self.assertEqual(status, 202, created)
        task = offload.tasks.wait(created["taskId"], timeout=30)
        self.assertEqual(task["status"], "succeeded", task.get("lastError"))
        self.assertEqual(task["name"], "render-pdf")
        self.assertEqual(task["queue"], "pdf")
        self.assertEqual(task["result"]["body"], {"invoiceId": 7, "url": "/invoices/7.pdf", "pages": 3})
        self.assertEqual(task["progress"], {"step": "rendering", "attempt": 1})
        worker.process.send_signal(signal.SIGTERM)
        self.assertEqual(worker.process.wait(30), 0, worker.output())
        self.assertRegex(worker.output(), r"worker \S+ stopped")

    def test_the_render_route_offloads_and_the_target_route_renders_the_invoice_as_a_verified_call(self) -> None:
        status, created = post(f"{self.app}/api/render", {"invoiceId": 42})

        self.assertEqual(status, 202, created)
        task = offload.tasks.wait(created["taskId"], timeout=20)
        self.assertEqual(task["status"], "succeeded", task.get("lastError"))
        self.assertEqual(task["callbackUrl"], f"{self.app}/api/render-target")
        self.assertEqual(task["result"]["body"], {"invoiceId": 42, "url": "/invoices/42.pdf", "pages": 3})
        self.assertEqual(task["progress"], {"step": "rendering", "attempt": 1})

    def test_the_target_route_refuses_a_call_without_a_valid_signature(self) -> None:
        status, answer = post(f"{self.app}/api/render-target", {"invoiceId": 42})

        self.assertEqual(status, 401)
        self.assertRegex(answer["error"], "missing webhook-id")


class ReadmeTest(unittest.TestCase):
    def test_the_readme_quotes_the_examples_as_they_are(self) -> None:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        for name in ("jobs.py", "app.py", "worker.py"):
            with self.subTest(example=name):
                quoted = (EXAMPLES / name).read_text(encoding="utf-8").strip() in readme
                self.assertTrue(quoted, f"README.md does not quote clients/python/examples/{name} as it is")


if __name__ == "__main__":
    unittest.main()
