from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from offload import Offload, OffloadConnectionError, OffloadError, OffloadTimeoutError

from .support import Call, OffloadServer, Reply, Target, fresh, serve

server: OffloadServer
target: Target
offload: Offload
flaky_calls = 0


def setUpModule() -> None:
    global server, target, offload

    def respond(call: Call) -> Reply:
        global flaky_calls
        if call.path == "/flaky":
            flaky_calls += 1
            if flaky_calls == 1:
                return Reply(500, {"error": "first call fails"})
        if call.path == "/reports-progress":
            offload.tasks.progress(call.headers["offload-task-id"], call.headers["offload-task-token"], {"percent": 50})
        return Reply(200, {"rendered": json.loads(call.body or "null")})

    server, target, offload = serve(respond)


class TasksTest(unittest.TestCase):
    def test_create_answers_the_task_id_and_status_at_once_and_the_target_gets_the_payload(self) -> None:
        created = offload.tasks.create(callback_url=target.url("/render"), payload={"invoice": 42}, retries=3,
                                       backoff="exponential")

        self.assertRegex(created["taskId"], r"^tsk_")
        self.assertIn(created["status"], ("queued", "running", "succeeded"))
        self.assertEqual(created["statusUrl"], f"/v1/tasks/{created['taskId']}")
        self.assertFalse(created["replayed"])
        call = target.call_to("/render", lambda c: c.headers["offload-task-id"] == created["taskId"])
        self.assertEqual(json.loads(call.body), {"invoice": 42})

    def test_wait_returns_the_finished_task_with_the_target_answer_as_its_result(self) -> None:
        task_id = offload.tasks.create({"callbackUrl": target.url("/render"), "payload": {"invoice": 7}})["taskId"]

        task = offload.tasks.wait(task_id, timeout=20)

        self.assertEqual(task["status"], "succeeded")
        self.assertEqual(task["attempts"], 1)
        self.assertEqual(task["result"]["body"], {"rendered": {"invoice": 7}})
        self.assertEqual(offload.tasks.get(task_id), task)

    def test_create_with_wait_answers_the_whole_finished_task_when_it_finishes_in_time(self) -> None:
        created = offload.tasks.create(callback_url=target.url("/render"), payload={"fast": True}, wait=10)

        self.assertEqual(created["status"], "succeeded")
        self.assertEqual(created["task"]["taskId"], created["taskId"])
        self.assertEqual(created["task"]["result"]["body"], {"rendered": {"fast": True}})
        self.assertEqual(created["statusUrl"], f"/v1/tasks/{created['taskId']}")

    def test_durations_are_seconds_and_a_run_at_is_an_aware_datetime(self) -> None:
        later = offload.tasks.create(callback_url=target.url("/render"), delay=120, wait=1)
        at = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)
        planned = offload.tasks.create(callback_url=target.url("/render"), run_at=at, timeout=dt.timedelta(minutes=5))

        self.assertEqual(later["status"], "scheduled")
        self.assertNotIn("task", later)
        task = offload.tasks.get(later["taskId"])
        delay = _instant(task["runAt"]) - _instant(task["createdAt"])
        self.assertAlmostEqual(delay.total_seconds(), 120, delta=1)
        self.assertAlmostEqual((_instant(offload.tasks.get(planned["taskId"])["runAt"]) - at).total_seconds(), 0, delta=0.01)
        with self.assertRaisesRegex(ValueError, "timezone-aware"):
            offload.tasks.create(callback_url=target.url("/render"), run_at=dt.datetime.now())
        offload.tasks.cancel(later["taskId"])
        offload.tasks.cancel(planned["taskId"])

    def test_an_idempotency_key_replays_the_original_task_and_the_same_key_on_another_request_is_a_409(self) -> None:
        key = f"order-{time.time_ns()}"
        task = {"callback_url": target.url("/render"), "delay": "1m", "payload": {"order": 1}}
        first = offload.tasks.create(task, idempotency_key=key)

        again = offload.tasks.create(task, idempotency_key=key)

        self.assertEqual(again["taskId"], first["taskId"])
        self.assertTrue(again["replayed"])
        self.assertEqual(again["task"]["taskId"], first["taskId"])
        with self.assertRaises(OffloadError) as conflict:
            offload.tasks.create(task, idempotency_key=key, payload={"order": 2})
        self.assertEqual(conflict.exception.status, 409)
        self.assertEqual([e.field for e in conflict.exception.errors], ["idempotencyKey"])
        offload.tasks.cancel(first["taskId"])

    def test_create_batch_creates_every_task_and_answers_their_ids_in_order(self) -> None:
        queue = fresh("py")
        created = offload.tasks.create_batch([
            {"callback_url": target.url("/render"), "queue": queue, "delay": 3600, "metadata": {"n": 1}},
            {"callbackUrl": target.url("/render"), "queue": queue, "delay": "1h", "metadata": {"n": 2}},
        ])

        self.assertEqual(len(created), 2)
        for index, accepted in enumerate(created):
            self.assertEqual(accepted["status"], "scheduled")
            self.assertEqual(offload.tasks.get(accepted["taskId"])["metadata"], {"n": index + 1})

    def test_list_answers_one_page_newest_first_and_iterate_walks_every_page(self) -> None:
        queue = fresh("py")
        ids = [offload.tasks.create(callback_url=target.url("/render"), queue=queue, delay="1h")["taskId"] for _ in range(5)]

        page = offload.tasks.list(queue=queue, status="scheduled", limit=2)
        walked = [task["taskId"] for task in offload.tasks.iterate(queue=queue, limit=2)]

        self.assertEqual([t["taskId"] for t in page["tasks"]], [ids[4], ids[3]])
        self.assertTrue(page["nextCursor"])
        self.assertEqual(walked, list(reversed(ids)))
        self.assertEqual(offload.tasks.list(queue=queue, status="succeeded")["tasks"], [])

    def test_attempts_lists_a_failed_attempt_and_the_successful_retry(self) -> None:
        task_id = offload.tasks.create(callback_url=target.url("/flaky"), retries=2,
                                       backoff={"type": "fixed", "initial": 0.1})["taskId"]

        task = offload.tasks.wait(task_id, timeout=20)
        attempts = offload.tasks.attempts(task_id)

        self.assertEqual(task["status"], "succeeded")
        self.assertEqual([(a["number"], a["outcome"], a["statusCode"]) for a in attempts],
                         [(1, "http_error", 500), (2, "succeeded", 200)])

    def test_cancel_stops_a_waiting_task_a_second_cancel_is_a_409_and_retry_runs_it_after_all(self) -> None:
        task_id = offload.tasks.create(callback_url=target.url("/render"), delay="1h", payload={"late": True})["taskId"]

        cancelled = offload.tasks.cancel(task_id)
        with self.assertRaises(OffloadError) as again:
            offload.tasks.cancel(task_id)
        retried = offload.tasks.retry(task_id)

        self.assertEqual(cancelled["status"], "cancelled")
        self.assertEqual(again.exception.status, 409)
        self.assertRegex(str(again.exception), "already cancelled")
        self.assertEqual(retried["status"], "queued")
        self.assertEqual(offload.tasks.wait(task_id, timeout=20)["status"], "succeeded")

    def test_delete_removes_a_finished_task_and_refuses_an_unfinished_one(self) -> None:
        done = offload.tasks.create(callback_url=target.url("/render"), wait=10)
        waiting = offload.tasks.create(callback_url=target.url("/render"), delay="1h")

        offload.tasks.delete(done["taskId"])
        with self.assertRaises(OffloadError) as refused:
            offload.tasks.delete(waiting["taskId"])

        with self.assertRaises(OffloadError) as gone:
            offload.tasks.get(done["taskId"])
        self.assertEqual(gone.exception.status, 404)
        self.assertEqual(refused.exception.status, 409)
        offload.tasks.cancel(waiting["taskId"])

    def test_progress_sent_by_the_target_with_its_task_token_shows_on_the_task_a_wrong_token_is_refused(self) -> None:
        task_id = offload.tasks.create(callback_url=target.url("/reports-progress"))["taskId"]

        task = offload.tasks.wait(task_id, timeout=20)
        with self.assertRaises(OffloadError) as refused:
            offload.tasks.progress(task_id, "not-the-token", {"percent": 99})

        self.assertEqual(task["status"], "succeeded")
        self.assertEqual(task["progress"], {"percent": 50})
        self.assertEqual(refused.exception.status, 401)

    def test_wait_raises_offload_timeout_error_with_the_task_as_last_seen_when_it_does_not_finish_in_time(self) -> None:
        task_id = offload.tasks.create(callback_url=target.url("/render"), delay="1h")["taskId"]

        started = time.monotonic()
        with self.assertRaises(OffloadTimeoutError) as timed_out:
            offload.tasks.wait(task_id, timeout=0.7)

        self.assertEqual(timed_out.exception.task["taskId"], task_id)
        self.assertEqual(timed_out.exception.task["status"], "scheduled")
        self.assertGreaterEqual(time.monotonic() - started, 0.7)
        offload.tasks.cancel(task_id)


class ErrorsTest(unittest.TestCase):
    def test_a_refused_request_is_an_offload_error_with_the_problem_fields_and_the_request_id(self) -> None:
        with self.assertRaises(OffloadError) as refused:
            offload.tasks.create(callback_url="not a url", retries=-1)

        error = refused.exception
        self.assertEqual(error.status, 400)
        self.assertEqual(error.title, "Invalid request")
        self.assertTrue(error.type)
        self.assertEqual(sorted(e.field for e in error.errors), ["callbackUrl", "retries"])
        self.assertTrue(all(e.message for e in error.errors))
        self.assertRegex(error.request_id or "", r"^req_")
        self.assertRegex(str(error), r"^400 Invalid request: .*retries: .*\(POST /v1/tasks, request req_")
        with self.assertRaises(OffloadError) as missing:
            offload.tasks.get("tsk_01JD0000000000000000000000")
        self.assertEqual(missing.exception.status, 404)
        self.assertRegex(missing.exception.detail or "", "no task tsk_01JD0000000000000000000000")
        with self.assertRaises(OffloadError) as odd:
            offload.tasks.get("tsk_grüße")
        self.assertEqual(odd.exception.detail, "no task tsk_grüße (task ids look like tsk_01JD…)", "problem details are UTF-8")

    def test_a_server_that_is_not_there_is_an_offload_connection_error(self) -> None:
        port = _closed_port()
        with self.assertRaises(OffloadConnectionError) as error:
            Offload(f"http://127.0.0.1:{port}").tasks.get("tsk_x")

        self.assertRegex(str(error.exception), f"GET /v1/tasks/tsk_x: no answer from http://127.0.0.1:{port}")

    def test_a_server_that_does_not_answer_within_the_timeout_is_an_offload_connection_error(self) -> None:
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        try:
            with self.assertRaises(OffloadConnectionError) as error:
                Offload(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.3).tasks.list()
            self.assertRegex(str(error.exception), r"no answer within 0\.3s")
        finally:
            silent.close()

    def test_the_server_address_and_token_come_from_offload_url_and_offload_token_the_token_as_a_bearer(self) -> None:
        seen = []

        class Recorder(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                seen.append((self.path, self.headers.get("Authorization")))
                body = b'{"tasks":[],"nextCursor":null}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        recorder = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=recorder.serve_forever, daemon=True).start()
        saved = {name: os.environ.get(name) for name in ("OFFLOAD_URL", "OFFLOAD_TOKEN")}
        os.environ["OFFLOAD_URL"] = f"http://127.0.0.1:{recorder.server_address[1]}/"
        os.environ["OFFLOAD_TOKEN"] = "s3cret"
        try:
            client = Offload()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        try:
            page = client.tasks.list(limit=1, schedule_name="a b")
        finally:
            recorder.shutdown()
            recorder.server_close()

        self.assertEqual(page["tasks"], [])
        self.assertEqual(seen, [("/v1/tasks?scheduleName=a+b&limit=1", "Bearer s3cret")])

    def test_ids_and_names_are_path_segments_and_must_not_be_empty(self) -> None:
        with self.assertRaises(OffloadError) as error:
            offload.tasks.get("../queues")
        self.assertEqual(error.exception.status, 404)
        with self.assertRaises(ValueError):
            offload.tasks.get("")


def _instant(text: str) -> dt.datetime:
    """An RFC 3339 instant as the server writes it (up to nine digits of fraction, Z), for Python 3.9's fromisoformat."""
    head, _, fraction = text.rstrip("Z").partition(".")
    return dt.datetime.fromisoformat(head + (("." + fraction[:6].ljust(6, "0")) if fraction else "") + "+00:00")


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


if __name__ == "__main__":
    unittest.main()
