from __future__ import annotations

import logging
import os
import threading
import time
import unittest
from collections import Counter
from typing import Any, Dict, List, Optional

from offload import NonRetryableError, Offload, WorkerTask

from .support import OffloadServer, fresh, serve, until

server: OffloadServer
offload: Offload


class Kept(logging.Handler):
    """Messages of the workers under test, kept for the failure message instead of flooding the output."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def tail(self) -> str:
        return "\n".join(self.lines[-20:])


kept = Kept()
logger = logging.getLogger("offload.test-worker")
logger.addHandler(kept)
logger.propagate = False
logger.setLevel(logging.INFO)


def setUpModule() -> None:
    global server, offload
    # Expired leases are looked for every quarter of --lease-timeout: 1 s here.
    server, _, offload = serve(args=("--lease-timeout", "4s"))


def fresh_name() -> str:
    return fresh("py-worker")


def worker(**options: Any) -> Any:
    return offload.worker(logger=logger, wait_for=1.0, **options)


class WorkerTest(unittest.TestCase):
    def test_200_tasks_at_concurrency_8_each_run_exactly_once(self) -> None:
        name = fresh_name()
        runs: Counter[str] = Counter()
        lock = threading.Lock()
        in_flight = [0, 0]

        def double(payload: Dict[str, int], task: WorkerTask) -> Dict[str, int]:
            with lock:
                runs[task.id] += 1
                in_flight[0] += 1
                in_flight[1] = max(in_flight[1], in_flight[0])
            time.sleep(payload["n"] % 3 / 1000)
            with lock:
                in_flight[0] -= 1
            return {"doubled": payload["n"] * 2}

        running = worker(concurrency=8).handle(name, double)
        created = offload.tasks.create_batch([{"name": name, "payload": {"n": n}} for n in range(200)])
        running.start()
        try:
            until(lambda: len(runs) == 200 and in_flight[0] == 0, "all 200 run", 120, kept.tail)
            self.assertEqual(offload.tasks.wait(created[199]["taskId"], timeout=10)["result"]["body"], {"doubled": 398})
        finally:
            running.stop()
        self.assertEqual(len(runs), 200)
        self.assertEqual(set(runs.values()), {1})
        self.assertLessEqual(in_flight[1], 8)
        self.assertEqual([t for t in offload.tasks.list(status="running")["tasks"] if t["name"] == name], [])
        self.assertTrue(all(offload.tasks.get(c["taskId"])["status"] == "succeeded" for c in created[:20]))

    def test_a_non_retryable_error_fails_the_task_at_once_any_other_fails_the_attempt_with_message_and_stack_head(self) -> None:
        name = fresh_name()

        def handler(payload: Dict[str, Any], task: WorkerTask) -> None:
            if payload.get("fatal"):
                raise NonRetryableError(f"no customer {payload['customer']}")
            raise TypeError("flaky upstream")

        running = worker().handle(name, handler)
        fatal = offload.tasks.create(name=name, payload={"fatal": True, "customer": 7}, retries=5)
        flaky = offload.tasks.create(name=name, payload={}, retries=1,
                                     backoff={"type": "fixed", "initial": 0.1, "jitter": False})
        running.start()
        try:
            failed = offload.tasks.wait(fatal["taskId"], timeout=20)
            self.assertEqual(failed["status"], "failed")
            self.assertEqual(failed["attempts"], 1)
            self.assertRegex(failed["lastError"] or "", r"^NonRetryableError: no customer 7")
            retried = offload.tasks.wait(flaky["taskId"], timeout=20)
            self.assertEqual(retried["status"], "failed")
            self.assertEqual(retried["attempts"], 2)
        finally:
            running.stop()
        attempts = offload.tasks.attempts(flaky["taskId"])
        self.assertEqual([a["outcome"] for a in attempts], ["worker_error", "worker_error"])
        self.assertRegex(attempts[0]["error"] or "", r'^TypeError: flaky upstream\n  File ".*test_worker\.py", line \d+, in handler')

    def test_cancelling_a_running_task_sets_its_handlers_cancelled_event_within_one_heartbeat(self) -> None:
        name = fresh_name()
        heartbeat_every = 0.5
        started = threading.Event()
        seen: Dict[str, Any] = {}

        def handler(payload: Any, task: WorkerTask) -> str:
            started.set()
            if task.cancelled.wait(30):
                seen["at"] = time.monotonic()
                seen["reason"] = task.cancel_reason
            return "finished anyway"

        running = worker(lease_for=3.0, heartbeat_every=heartbeat_every).handle(name, handler)
        task_id = offload.tasks.create(name=name)["taskId"]
        running.start()
        try:
            self.assertTrue(started.wait(20), kept.tail())
            cancelled_at = time.monotonic()
            offload.tasks.cancel(task_id)
            until(lambda: "at" in seen, "told of the cancel", 10, kept.tail)
            self.assertLessEqual(seen["at"] - cancelled_at, heartbeat_every + 1.0)
            self.assertRegex(seen["reason"], "was cancelled")
            until(lambda: running.running == 0, "the handler to end", 10, kept.tail)
        finally:
            running.stop()
        self.assertEqual(offload.tasks.get(task_id)["status"], "cancelled")
        self.assertEqual([a["outcome"] for a in offload.tasks.attempts(task_id)], ["cancelled"])

    def test_stop_lets_handlers_finish_within_the_grace_then_releases_the_rest_without_spending_an_attempt(self) -> None:
        name = fresh_name()
        started: set = set()
        told: set = set()

        def handler(payload: Dict[str, Any], task: WorkerTask) -> str:
            started.add(task.id)
            if payload.get("quick"):
                until(lambda: len(started) == 3, "all three started")
                time.sleep(0.3)
                return "done in time"
            task.cancelled.wait()
            told.add(task.id)
            raise RuntimeError(task.cancel_reason)

        running = worker(concurrency=4).handle(name, handler)
        quick, slow1, slow2 = offload.tasks.create_batch([{"name": name, "payload": {"quick": True}, "retries": 0},
                                                          {"name": name, "payload": {}, "retries": 0},
                                                          {"name": name, "payload": {}, "retries": 0}])
        running.start()
        until(lambda: len(started) == 3, "all three started", 20, kept.tail)

        running.stop(grace=1.5)

        self.assertEqual(told, {slow1["taskId"], slow2["taskId"]})
        done = offload.tasks.get(quick["taskId"])
        self.assertEqual(done["status"], "succeeded")
        self.assertEqual(done["result"]["body"], "done in time")
        for slow in (slow1, slow2):
            task = offload.tasks.get(slow["taskId"])
            self.assertEqual(task["status"], "queued", f"{slow['taskId']} is queued again, not failed")
            self.assertEqual(task["attempts"], 0)
            self.assertEqual(offload.tasks.attempts(slow["taskId"]), [])
        until(lambda: running.running == 0, "the released handlers to end", 10, kept.tail)
        second = worker().handle(name, lambda payload, task: "second worker").start()
        try:
            for slow in (slow1, slow2):
                self.assertEqual(offload.tasks.wait(slow["taskId"], timeout=20)["result"]["body"], "second worker")
        finally:
            second.stop()

    def test_progress_a_handler_reports_is_visible_on_the_task_while_it_runs(self) -> None:
        name = fresh_name()
        finish = threading.Event()
        running = worker()

        @running.handle(name)
        def render(payload: Any, task: WorkerTask) -> str:
            task.progress({"page": 1, "of": 3})
            task.progress({"page": 2, "of": 3})
            finish.wait(20)
            return "rendered"

        task_id = offload.tasks.create(name=name)["taskId"]
        running.start()
        try:
            def shown() -> Optional[Dict[str, Any]]:
                task = offload.tasks.get(task_id)
                return task if (task.get("progress") or {}).get("page") == 2 else None
            self.assertEqual(until(shown, "progress 2 of 3 shown", 10, kept.tail)["status"], "running")
            finish.set()
            self.assertEqual(offload.tasks.wait(task_id, timeout=10)["result"]["body"], "rendered")
        finally:
            finish.set()
            running.stop()

    def test_a_defined_function_is_enqueued_with_task_options_and_run_by_a_worker_it_is_registered_with(self) -> None:
        queue = f"pdf-{os.getpid()}"
        seen: List[Any] = []

        @offload.define(fresh_name(), queue=queue, retries=2)
        async def render_pdf(payload: Dict[str, int], task: WorkerTask) -> Dict[str, str]:
            seen.append((task.queue, task.attempt))
            return {"url": f"/invoices/{payload['invoiceId']}.pdf"}

        running = worker(queues=[queue]).register(render_pdf)
        key = f"invoice-42-{os.getpid()}"
        first = render_pdf.enqueue({"invoiceId": 42}, idempotency_key=key, metadata={"by": "test"})
        replay = render_pdf.enqueue({"invoiceId": 42}, idempotency_key=key, metadata={"by": "test"})
        later = render_pdf.enqueue({"invoiceId": 43}, delay=0.3)
        self.assertEqual(replay["taskId"], first["taskId"])
        self.assertTrue(replay["replayed"])
        self.assertEqual(later["status"], "scheduled")
        running.start()
        try:
            done = offload.tasks.wait(first["taskId"], timeout=20)
            self.assertEqual(done["result"]["body"], {"url": "/invoices/42.pdf"})
            self.assertEqual(done["queue"], queue)
            self.assertEqual(done["maxAttempts"], 3)
            self.assertEqual(done["metadata"], {"by": "test"})
            self.assertEqual(offload.tasks.wait(later["taskId"], timeout=20)["result"]["body"], {"url": "/invoices/43.pdf"})
        finally:
            running.stop()
        self.assertEqual(seen, [(queue, 1), (queue, 1)])
        with self.assertRaisesRegex(ValueError, "does not lease from"):
            offload.worker(queues=["other"]).register(render_pdf)
        with self.assertRaisesRegex(ValueError, "sets callback_url itself"):
            render_pdf.enqueue({}, callback_url="https://example.com")

    def test_a_result_that_is_not_json_fails_the_task_at_once(self) -> None:
        name = fresh_name()
        running = worker().handle(name, lambda payload, task: {"at": object()})
        task_id = offload.tasks.create(name=name, retries=3)["taskId"]
        running.start()
        try:
            failed = offload.tasks.wait(task_id, timeout=20)
        finally:
            running.stop()
        self.assertEqual(failed["status"], "failed")
        self.assertEqual(failed["attempts"], 1)
        self.assertRegex(failed["lastError"] or "", r"^the result is not JSON: TypeError: Object of type object")

    def test_settings_out_of_the_servers_range_are_refused_at_once(self) -> None:
        for options, message in (({"concurrency": 0}, "concurrency"), ({"lease_for": 0.5}, "lease_for"),
                                 ({"lease_for": 3, "heartbeat_every": 3}, "heartbeat_every"), ({"wait_for": 61}, "wait_for"),
                                 ({"worker_id": "-x"}, "worker_id"), ({"queues": "pdf"}, "queues")):
            with self.subTest(options=options), self.assertRaisesRegex(ValueError, message):
                offload.worker(**options)
        with self.assertRaisesRegex(RuntimeError, "at least one handler"):
            offload.worker().start()


class ServerAwayTest(unittest.TestCase):
    own: OffloadServer

    @classmethod
    def setUpClass(cls) -> None:
        cls.own = OffloadServer()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.own.stop()

    def test_a_worker_loses_no_task_while_the_server_restarts_and_runs_again_only_what_was_in_flight(self) -> None:
        client = Offload(self.own.url, timeout=5)
        name = fresh_name()
        runs: Counter[str] = Counter()
        lock = threading.Lock()

        def handler(payload: Dict[str, int], task: WorkerTask) -> int:
            with lock:
                runs[task.id] += 1
            time.sleep(0.05)
            return payload["n"]

        running = client.worker(concurrency=8, lease_for=10, wait_for=1, logger=logger).handle(name, handler)
        created = client.tasks.create_batch([{"name": name, "payload": {"n": n}, "retries": 5} for n in range(200)])
        running.start()
        try:
            until(lambda: len(runs) >= 40, "40 tasks run before the crash", 60, kept.tail)
            before = len(runs)
            self.own.restart()
            until(lambda: len(runs) > before + 20, "work going on after the restart", 60, kept.tail)
            for accepted in created:
                task = client.tasks.wait(accepted["taskId"], timeout=60)
                self.assertEqual(task["status"], "succeeded", task.get("lastError"))
        finally:
            running.stop()
        self.assertEqual(len(runs), 200)
        again = sum(1 for count in runs.values() if count > 1)
        # Only tasks the worker held at the crash may run again (at most 8), and those of one lease
        # answer the crash cut off (at most 8 more): the restarted server retries what it finds running.
        self.assertLessEqual(again, 16)

    def test_a_worker_whose_server_is_away_leases_again_with_a_growing_pause_and_works_once_it_is_back(self) -> None:
        client = Offload(self.own.url, timeout=5)
        name = fresh_name()
        pauses: List[str] = []

        class Pauses(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                message = record.getMessage()
                if "cannot lease tasks" in message:
                    pauses.append(message.split("trying again in ")[1].split(":")[0])

        watched = logging.getLogger("offload.test-worker-away")
        watched.addHandler(Pauses())
        watched.propagate = False
        running = client.worker(wait_for=1, logger=watched).handle(name, lambda payload, task: "back")
        self.own.crash()
        try:
            running.start()
            until(lambda: len(pauses) >= 4, "four lease requests refused", 30)
            self.own.start_again()
            task_id = client.tasks.create(name=name)["taskId"]
            self.assertEqual(client.tasks.wait(task_id, timeout=30)["result"]["body"], "back")
        finally:
            running.stop()
        self.assertEqual(pauses[:4], ["0.1s", "0.2s", "0.4s", "0.8s"])


if __name__ == "__main__":
    unittest.main()
