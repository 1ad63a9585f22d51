from __future__ import annotations

import base64
import json
import os
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, List

from offload import Offload, VerifiedCall, WebhookVerificationError, verify, verify_lambda

from .support import OLD_SECRET, SECRET, Call, OffloadServer, Target, headers_of, serve

WRONG_SECRET = "whsec_" + base64.b64encode(b"a-secret-offload-never-signs-with").decode("ascii")

server: OffloadServer
target: Target
dispatch: Call
webhook: Call


def setUpModule() -> None:
    """One real task, run and reported by the real server: its signed call and its signed webhook."""
    global server, target, dispatch, webhook
    server, target, offload = serve(secrets=(SECRET, OLD_SECRET))
    task_id = offload.tasks.create(callback_url=target.url("/render"), payload={"invoice": 42, "note": "grüße"},
                                               webhook_url=target.url("/done"))["taskId"]
    dispatch = target.call_to("/render", lambda c: c.headers["offload-task-id"] == task_id)
    webhook = target.call_to("/done", lambda c: c.headers["offload-task-id"] == task_id)


def sent_at(call: Call) -> int:
    return int(call.headers["webhook-timestamp"])


class VerifyTest(unittest.TestCase):
    def test_accepts_the_servers_signed_call_and_reads_the_payload_and_the_task_headers(self) -> None:
        verified = verify(dispatch.headers, dispatch.raw_body, SECRET)

        task_id = dispatch.headers["offload-task-id"]
        self.assertEqual(verified.payload, {"invoice": 42, "note": "grüße"})
        self.assertEqual(verified.body, dispatch.body)
        self.assertEqual(verified.task_id, task_id)
        self.assertEqual(verified.attempt, 1)
        self.assertEqual(verified.queue, "default")
        self.assertEqual(verified.task_token, dispatch.headers["offload-task-token"])
        self.assertEqual(verified.webhook_id, f"{task_id}_1")
        self.assertEqual(verified.timestamp.timestamp(), sent_at(dispatch))
        self.assertIsNone(verified.event)

    def test_accepts_headers_as_any_mapping_in_any_case_or_as_pairs_and_the_body_as_bytes_or_text(self) -> None:
        lower = headers_of(dispatch)
        upper = {name.upper(): value for name, value in lower.items()}
        for headers, body in ((lower, dispatch.body), (upper, bytearray(dispatch.raw_body)),
                              (list(lower.items()), memoryview(dispatch.raw_body))):
            self.assertEqual(verify(headers, body, [SECRET]).payload, {"invoice": 42, "note": "grüße"})

    def test_accepts_a_lambda_event_with_a_text_or_base64_body(self) -> None:
        headers = headers_of(dispatch)
        for event in ({"headers": headers, "body": dispatch.body, "isBase64Encoded": False},
                      {"headers": headers, "body": base64.b64encode(dispatch.raw_body).decode(), "isBase64Encoded": True}):
            self.assertEqual(verify_lambda(event, SECRET).task_id, dispatch.headers["offload-task-id"])

    def test_accepts_the_servers_signed_webhook_and_reads_the_finished_task_from_it(self) -> None:
        verified = verify(webhook.headers, webhook.raw_body, SECRET)

        self.assertEqual(verified.event, "task.succeeded")
        self.assertEqual(verified.task_id, dispatch.headers["offload-task-id"])
        self.assertEqual(verified.payload["taskId"], verified.task_id)
        self.assertEqual(verified.payload["status"], "succeeded")
        self.assertEqual(verified.payload["result"]["body"], {"ok": True})

    def test_accepts_any_current_secret_during_a_rotation_and_reads_offload_signing_secrets_when_none_is_given(self) -> None:
        self.assertTrue(verify(dispatch.headers, dispatch.raw_body, [OLD_SECRET]))
        self.assertTrue(verify(dispatch.headers, dispatch.raw_body, f"{WRONG_SECRET}, {SECRET}"))
        os.environ["OFFLOAD_SIGNING_SECRETS"] = OLD_SECRET
        try:
            self.assertEqual(verify(dispatch.headers, dispatch.raw_body).task_id, dispatch.headers["offload-task-id"])
        finally:
            del os.environ["OFFLOAD_SIGNING_SECRETS"]

    def test_verifies_calls_in_an_http_server_handler_as_they_arrive(self) -> None:
        results: List[Any] = []

        class Receiver(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    results.append(verify(self.headers, body, SECRET))
                except WebhookVerificationError as error:
                    results.append(error)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=receiver.serve_forever, daemon=True).start()
        try:
            offload = Offload(server.url)
            task_id = offload.tasks.create(callback_url=f"http://127.0.0.1:{receiver.server_address[1]}/handler",
                                           payload=[1, 2])["taskId"]
            self.assertEqual(offload.tasks.wait(task_id, timeout=20)["status"], "succeeded")
        finally:
            receiver.shutdown()
            receiver.server_close()
        self.assertEqual(len(results), 1)
        self.assertIsInstance(results[0], VerifiedCall)
        self.assertEqual(results[0].payload, [1, 2])

    def test_rejects_a_changed_body(self) -> None:
        changed = dispatch.body.replace("42", "43")

        with self.assertRaisesRegex(WebhookVerificationError, r"no signature of webhook tsk_\w+_1 matches the 1 secret"):
            verify(dispatch.headers, changed, SECRET)

    def test_rejects_a_secret_the_server_does_not_sign_with(self) -> None:
        with self.assertRaises(WebhookVerificationError):
            verify(dispatch.headers, dispatch.raw_body, WRONG_SECRET)

    def test_rejects_a_timestamp_older_or_newer_than_the_tolerance(self) -> None:
        at = sent_at(dispatch)

        with self.assertRaisesRegex(WebhookVerificationError, "webhook-timestamp is 301s old, more than the 300s tolerated"):
            verify(dispatch.headers, dispatch.raw_body, SECRET, now=at + 301)
        with self.assertRaisesRegex(WebhookVerificationError, "301s in the future"):
            verify(dispatch.headers, dispatch.raw_body, SECRET, now=at - 301)
        with self.assertRaisesRegex(WebhookVerificationError, "61s old"):
            verify(dispatch.headers, dispatch.raw_body, SECRET, now=at + 61, tolerance=60)
        self.assertTrue(verify(dispatch.headers, dispatch.raw_body, SECRET, now=at + 299))

    def test_rejects_a_request_without_the_signature_headers(self) -> None:
        unsigned = {name: value for name, value in headers_of(dispatch).items() if name != "webhook-signature"}

        with self.assertRaisesRegex(WebhookVerificationError, "missing webhook-id, webhook-timestamp or webhook-signature"):
            verify(unsigned, dispatch.raw_body, SECRET)

    def test_refuses_a_parsed_body_since_the_signature_covers_the_exact_bytes(self) -> None:
        with self.assertRaisesRegex(TypeError, "raw body"):
            verify(dispatch.headers, json.loads(dispatch.body), SECRET)


class StandardWebhooksVectorTest(unittest.TestCase):
    """The test vector of the Standard Webhooks specification, as the Java verifier's test and the server's signer use it."""

    HEADERS = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    BODY = b'{"test": 2432232314}'
    OTHER = "whsec_" + base64.b64encode(b"another-secret-of-32-bytes-long!").decode("ascii")
    AT = 1614265330

    def test_accepts_the_reference_vector(self) -> None:
        verified = verify(self.HEADERS, self.BODY, SECRET, now=self.AT)

        self.assertEqual(verified.payload, {"test": 2432232314})
        self.assertEqual(verified.webhook_id, "msg_p5jXN8AQM9LWM0D4loKWxJek")
        self.assertIsNone(verified.task_id)

    def test_accepts_when_any_secret_matches_any_signature_during_a_rotation(self) -> None:
        two = {"Webhook-Id": self.HEADERS["webhook-id"], "Webhook-Timestamp": self.HEADERS["webhook-timestamp"],
               "Webhook-Signature": "v1,bm90IHRoaXMgb25l " + self.HEADERS["webhook-signature"]}

        self.assertTrue(verify(two, self.BODY, [self.OTHER, SECRET], now=self.AT))

    def test_rejects_a_changed_body_or_a_wrong_secret(self) -> None:
        with self.assertRaises(WebhookVerificationError):
            verify(self.HEADERS, b'{"test": 2432232315}', SECRET, now=self.AT)
        with self.assertRaises(WebhookVerificationError):
            verify(self.HEADERS, self.BODY, self.OTHER, now=self.AT)

    def test_rejects_timestamps_more_than_five_minutes_old_or_ahead(self) -> None:
        self.assertTrue(verify(self.HEADERS, self.BODY, SECRET, now=self.AT + 300))
        with self.assertRaisesRegex(WebhookVerificationError, "webhook-timestamp"):
            verify(self.HEADERS, self.BODY, SECRET, now=self.AT + 301)
        with self.assertRaises(WebhookVerificationError):
            verify(self.HEADERS, self.BODY, SECRET, now=self.AT - 301)

    def test_a_secret_that_is_not_base64_or_no_secret_at_all_is_refused_at_once(self) -> None:
        with self.assertRaisesRegex(ValueError, "whsec_ followed by base64"):
            verify(self.HEADERS, self.BODY, "whsec_not base64!", now=self.AT)
        saved = os.environ.pop("OFFLOAD_SIGNING_SECRETS", None)
        try:
            with self.assertRaisesRegex(ValueError, "OFFLOAD_SIGNING_SECRETS"):
                verify(self.HEADERS, self.BODY, now=self.AT)
        finally:
            if saved is not None:
                os.environ["OFFLOAD_SIGNING_SECRETS"] = saved


if __name__ == "__main__":
    unittest.main()
