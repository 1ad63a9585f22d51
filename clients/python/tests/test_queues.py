from __future__ import annotations

import datetime as dt
import unittest

from offload import Offload, OffloadError

from .support import OffloadServer, Target, fresh, serve

server: OffloadServer
target: Target
offload: Offload


def setUpModule() -> None:
    global server, target, offload
    server, target, offload = serve()


class QueuesTest(unittest.TestCase):
    def test_put_sets_the_limits_get_and_list_show_them_and_a_second_put_replaces_them_all(self) -> None:
        name = fresh("py-queue")

        limited = offload.queues.put(name, concurrency=10, rate_per_second=50, burst=5, paused=True,
                                     retain_succeeded=dt.timedelta(days=3), retain_failed="forever")
        replaced = offload.queues.put(name, {"concurrency": 2})

        self.assertEqual([limited[k] for k in ("name", "concurrency", "ratePerSecond", "burst", "paused")],  # type: ignore[literal-required]
                         [name, 10, 50, 5, True])
        self.assertEqual(limited["retainSucceeded"], "3d")
        self.assertEqual(limited["retainFailed"], "forever")
        self.assertEqual([replaced[k] for k in ("concurrency", "ratePerSecond", "burst", "paused", "retainSucceeded")],  # type: ignore[literal-required]
                         [2, None, None, False, None])
        self.assertEqual(offload.queues.get(name), replaced)
        self.assertEqual(next(q for q in offload.queues.list() if q["name"] == name), replaced)

    def test_a_queue_with_finished_tasks_shows_counts_throughput_and_the_attempt_timeout(self) -> None:
        name = fresh("py-queue")
        for _ in range(2):
            offload.tasks.wait(offload.tasks.create(callback_url=target.url("/work"), queue=name, timeout=30)["taskId"], timeout=20)

        queue = offload.queues.get(name)

        self.assertEqual(queue["counts"], {"scheduled": 0, "queued": 0, "running": 0, "waiting": 0, "retrying": 0,
                                           "succeeded": 2, "failed": 0, "cancelled": 0})
        self.assertEqual(queue["inFlight"], 0)
        self.assertEqual(queue["throughput"], {"lastMinute": 2, "lastHour": 2})
        self.assertEqual(queue["attemptTimeoutMs"], 30_000)
        self.assertFalse(queue["nearTimeout"])

    def test_history_answers_the_last_hour_in_60_one_minute_buckets(self) -> None:
        name = fresh("py-queue")
        offload.tasks.wait(offload.tasks.create(callback_url=target.url("/work"), queue=name)["taskId"], timeout=20)

        history = offload.queues.history(name)

        self.assertEqual(history["queue"], name)
        self.assertEqual(history["bucketSeconds"], 60)
        self.assertEqual(len(history["buckets"]), 60)
        self.assertEqual([sum(b[field] for b in history["buckets"]) for field in ("created", "succeeded", "attempts")], [1, 1, 1])

    def test_a_queue_never_used_is_a_404_and_a_bad_setting_is_a_400_naming_the_field(self) -> None:
        with self.assertRaises(OffloadError) as missing:
            offload.queues.get("py-never-used")
        with self.assertRaises(OffloadError) as invalid:
            offload.queues.put(fresh("py-queue"), concurrency=0, burst=2)

        self.assertEqual(missing.exception.status, 404)
        self.assertRegex(missing.exception.detail or "", "no queue py-never-used")
        self.assertEqual(invalid.exception.status, 400)
        self.assertEqual(sorted(e.field for e in invalid.exception.errors), ["burst", "concurrency"])
        with self.assertRaises(TypeError):
            offload.queues.put("q", ["not", "a", "mapping"])  # type: ignore[arg-type]
        with self.assertRaises(ValueError):
            offload.queues.get("")


if __name__ == "__main__":
    unittest.main()
