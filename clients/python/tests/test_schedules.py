from __future__ import annotations

import json
import unittest

from offload import Offload, OffloadError

from .support import Call, OffloadServer, Reply, Target, serve

server: OffloadServer
target: Target
offload: Offload
TASK = {"payload": {"kind": "nightly"}}


def setUpModule() -> None:
    global server, target, offload
    server, target, offload = serve()
    TASK["callback_url"] = target.url("/report")


class SchedulesTest(unittest.TestCase):
    def test_schedule_methods_send_the_requests_of_the_readme(self) -> None:
        def respond(call: Call) -> Reply:
            return Reply(200, {"schedules": [{"name": "a b"}]} if call.path == "/v1/schedules" else {"name": "a b"})

        recorder = Target(respond)
        try:
            client = Offload(recorder.base)
            client.schedules.put("a b", cron="@every 30s", timezone="UTC", overlap="skip", catch_up="latest",
                                 task={"callback_url": "http://app/x", "timeout": 90})
            self.assertEqual(client.schedules.list(), [{"name": "a b"}])
            client.schedules.get("a b")
            client.schedules.pause("a b")
            client.schedules.resume("a b")
            client.schedules.trigger("a b")
            self.assertIsNone(client.schedules.delete("a b"))
        finally:
            recorder.close()

        self.assertEqual([(c.method, c.path, json.loads(c.body) if c.body else "") for c in recorder.calls], [
            ("PUT", "/v1/schedules/a%20b", {"cron": "@every 30s", "timezone": "UTC", "overlap": "skip", "catchUp": "latest",
                                            "task": {"callbackUrl": "http://app/x", "timeout": "90000ms"}}),
            ("GET", "/v1/schedules", ""),
            ("GET", "/v1/schedules/a%20b", ""),
            ("POST", "/v1/schedules/a%20b/pause", ""),
            ("POST", "/v1/schedules/a%20b/resume", ""),
            ("POST", "/v1/schedules/a%20b/trigger", ""),
            ("DELETE", "/v1/schedules/a%20b", ""),
        ])

    def test_put_creates_a_schedule_that_get_and_list_show_and_a_second_put_replaces_it(self) -> None:
        created = offload.schedules.put("py-nightly", cron="0 3 * * *", timezone="Europe/Berlin", task=TASK,
                                        paused=False, overlap="skip", catch_up="latest")
        replaced = offload.schedules.put("py-nightly", {"cron": "30 4 * * *", "timezone": "Europe/Berlin", "task": TASK})

        self.assertEqual(created["cron"], "0 3 * * *")
        self.assertEqual(created["overlap"], "skip")
        self.assertTrue(created["nextRunAt"], "a schedule tells its next run")
        self.assertEqual(replaced["cron"], "30 4 * * *")
        fetched = offload.schedules.get("py-nightly")
        self.assertEqual(fetched["cron"], "30 4 * * *")
        self.assertEqual(fetched["timezone"], "Europe/Berlin")
        self.assertEqual(fetched["task"]["payload"], {"kind": "nightly"})
        self.assertIn("py-nightly", [s["name"] for s in offload.schedules.list()])
        offload.schedules.delete("py-nightly")

    def test_pause_and_resume_switch_a_schedule_off_and_on(self) -> None:
        offload.schedules.put("py-pausable", cron="@hourly", task=TASK)

        self.assertTrue(offload.schedules.pause("py-pausable")["paused"])
        self.assertTrue(offload.schedules.get("py-pausable")["paused"])
        self.assertFalse(offload.schedules.resume("py-pausable")["paused"])
        offload.schedules.delete("py-pausable")

    def test_trigger_creates_a_task_now_which_calls_the_target_with_the_schedule_name(self) -> None:
        offload.schedules.put("py-manual", cron="@yearly", task=TASK)

        triggered = offload.schedules.trigger("py-manual")

        self.assertRegex(triggered["taskId"], r"^tsk_")
        call = target.call_to("/report", lambda c: c.headers["offload-task-id"] == triggered["taskId"])
        self.assertEqual(call.headers["offload-schedule"], "py-manual")
        listed = offload.tasks.list(schedule_name="py-manual")
        self.assertEqual([t["taskId"] for t in listed["tasks"]], [triggered["taskId"]])
        offload.schedules.delete("py-manual")

    def test_an_every_schedule_creates_tasks_by_itself(self) -> None:
        offload.schedules.put("py-every-second", cron="@every 1s", task={**TASK, "callback_url": target.url("/tick")})

        call = target.call_to("/tick", timeout=15)

        self.assertEqual(call.headers["offload-schedule"], "py-every-second")
        offload.schedules.delete("py-every-second")

    def test_delete_removes_a_schedule_reading_it_then_is_a_404(self) -> None:
        offload.schedules.put("py-doomed", cron="@daily", task=TASK)

        offload.schedules.delete("py-doomed")

        with self.assertRaises(OffloadError) as error:
            offload.schedules.get("py-doomed")
        self.assertEqual(error.exception.status, 404)
        self.assertNotIn("py-doomed", [s["name"] for s in offload.schedules.list()])

    def test_a_bad_cron_expression_is_a_400_naming_the_field(self) -> None:
        with self.assertRaises(OffloadError) as error:
            offload.schedules.put("py-bad", cron="61 * * * *", task=TASK)

        self.assertEqual(error.exception.status, 400)
        self.assertEqual([e.field for e in error.exception.errors], ["cron"])


if __name__ == "__main__":
    unittest.main()
