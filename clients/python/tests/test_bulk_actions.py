from __future__ import annotations

import datetime as dt
import unittest
from typing import List

from offload import Offload, OffloadError

from .support import Call, OffloadServer, Reply, Target, fresh, serve

server: OffloadServer
target: Target
offload: Offload
healthy = False


def respond(call: Call) -> Reply:
    return Reply(400, {"error": "down"}) if call.path == "/flaky" and not healthy else Reply()


def setUpModule() -> None:
    global server, target, offload
    server, target, offload = serve(respond)


class BulkActionsTest(unittest.TestCase):
    def test_count_start_and_await_finished_retry_every_failed_task_of_a_queue_and_they_succeed(self) -> None:
        global healthy
        queue = fresh("py-bulk")
        ids = [offload.tasks.create(callback_url=target.url("/flaky"), queue=queue, retries=0)["taskId"] for _ in range(3)]
        for task_id in ids:
            self.assertEqual(offload.tasks.wait(task_id, timeout=20)["status"], "failed")
        healthy = True

        matched = offload.bulk_actions.count(queue=queue, status="failed")
        started = offload.bulk_actions.start("retry", {"queue": queue}, status="failed")
        seen: List[str] = []
        finished = offload.bulk_actions.await_finished(started["actionId"], timeout=30,
                                                       on_progress=lambda a: seen.append(a["status"]))

        self.assertEqual(matched, 3)
        self.assertEqual((started["action"], started["filter"]), ("retry", {"queue": queue, "status": "failed"}))
        self.assertEqual((finished["status"], finished["matched"], finished["done"], finished["failed"]),
                         ("succeeded", 3, 3, 0))
        self.assertIsNotNone(finished["finishedAt"])
        self.assertEqual(seen[-1], "succeeded")
        for task_id in ids:
            self.assertEqual(offload.tasks.wait(task_id, timeout=20)["status"], "succeeded")
        self.assertEqual(offload.bulk_actions.get(started["actionId"]), finished)
        self.assertEqual(offload.bulk_actions.list(limit=5)[0]["actionId"], started["actionId"])
        with self.assertRaises(OffloadError) as refused:
            offload.bulk_actions.cancel(started["actionId"])
        self.assertEqual(refused.exception.status, 409)

    def test_cancel_stops_unfinished_tasks_delete_removes_finished_ones_and_others_count_as_failed(self) -> None:
        queue = fresh("py-bulk")
        waiting = [offload.tasks.create(callback_url=target.url("/later"), queue=queue, delay="1h",
                                        metadata={"batch": "b1"})["taskId"] for _ in range(2)]
        done = offload.tasks.create(callback_url=target.url("/now"), queue=queue, metadata={"batch": "b1"})["taskId"]
        offload.tasks.wait(done, timeout=20)

        cancelled = offload.bulk_actions.await_finished(
            offload.bulk_actions.start("cancel", queue=queue, metadata={"batch": "b1"})["actionId"], timeout=30)
        an_hour_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
        deleted = offload.bulk_actions.await_finished(
            offload.bulk_actions.start("delete", queue=queue, created_after=an_hour_ago)["actionId"], timeout=30)

        self.assertEqual((cancelled["status"], cancelled["matched"], cancelled["done"], cancelled["failed"]),
                         ("succeeded", 3, 2, 1))
        self.assertEqual((deleted["status"], deleted["matched"], deleted["done"], deleted["failed"]),
                         ("succeeded", 3, 3, 0))
        for task_id in [*waiting, done]:
            with self.assertRaises(OffloadError) as gone:
                offload.tasks.get(task_id)
            self.assertEqual(gone.exception.status, 404)

    def test_an_empty_filter_or_unknown_action_is_refused_before_any_request_and_a_bad_field_by_the_server(self) -> None:
        with self.assertRaises(ValueError):
            offload.bulk_actions.count()
        with self.assertRaises(TypeError):
            offload.bulk_actions.count(queue="q", colour="red")
        with self.assertRaises(ValueError):
            offload.bulk_actions.start("explode", queue="q")
        with self.assertRaises(ValueError):
            offload.bulk_actions.count(created_after=dt.datetime(2026, 1, 1))

        with self.assertRaises(OffloadError) as bad:
            offload.bulk_actions.count(status="sleeping")
        self.assertEqual(bad.exception.status, 400)
        self.assertTrue(any("status" in e.field for e in bad.exception.errors), bad.exception.errors)
        with self.assertRaises(OffloadError) as unknown:
            offload.bulk_actions.get("bulk_nothing")
        self.assertEqual(unknown.exception.status, 404)
