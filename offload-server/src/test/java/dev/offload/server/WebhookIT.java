package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion webhooks and Standard Webhooks signatures (README: How it works, Security). */
class WebhookIT extends LiveServerSupport {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final List<String> WEBHOOK_FIELDS =
      List.of(
          "taskId",
          "status",
          "result",
          "lastError",
          "attempts",
          "metadata",
          "createdAt",
          "finishedAt");

  @Test
  void a_finished_task_posts_its_webhook_and_records_the_delivery() {
    String path = path("work");
    String hook = path("on-done");
    target.on(path, Reply.ok("{\"pages\":3}"));
    target.on(hook, Reply.status(204));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','webhookUrl':'%s','metadata':{'orderId':'1234'}}",
                target.url(path), target.url(hook)));
    JsonNode finished = server.awaitFinished(id);
    eventually()
        .untilAsserted(
            () ->
                assertThat(task(id).path("webhook").path("status").asText())
                    .isEqualTo("delivered"));

    JsonNode webhook = task(id).path("webhook");
    assertThat(webhook.path("url").asText()).isEqualTo(target.url(hook));
    assertThat(webhook.path("attempts").asInt()).isEqualTo(1);
    List<Received> calls = target.received(hook);
    assertThat(calls).hasSize(1);
    Received call = calls.get(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.header("Content-Type")).startsWith("application/json");
    JsonNode body = parse(call.body());
    WEBHOOK_FIELDS.forEach(
        field -> assertThat(body.has(field)).as("webhook body has %s: %s", field, body).isTrue());
    assertThat(body.path("taskId").asText()).isEqualTo(id);
    assertThat(body.path("status").asText()).isEqualTo("succeeded");
    assertThat(body.path("result").path("statusCode").asInt()).isEqualTo(200);
    assertThat(body.path("result").path("body").path("pages").asInt()).isEqualTo(3);
    assertThat(body.path("lastError").isNull()).isTrue();
    assertThat(body.path("attempts").asInt()).isEqualTo(1);
    assertThat(body.path("metadata").path("orderId").asText()).isEqualTo("1234");
    assertThat(instant(body.path("createdAt"))).isEqualTo(instant(finished.path("createdAt")));
    assertThat(instant(body.path("finishedAt"))).isEqualTo(instant(finished.path("finishedAt")));
  }

  @Test
  void a_failed_task_posts_its_webhook_with_the_last_error() {
    String path = path("broken-work");
    String hook = path("on-failed");
    target.on(path, Reply.status(400));

    String id =
        server.createTask(
            json("{'callbackUrl':'%s','webhookUrl':'%s'}", target.url(path), target.url(hook)));
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("failed");
    eventually()
        .untilAsserted(
            () ->
                assertThat(task(id).path("webhook").path("status").asText())
                    .isEqualTo("delivered"));

    JsonNode body = parse(target.received(hook).get(0).body());
    assertThat(body.path("taskId").asText()).isEqualTo(id);
    assertThat(body.path("status").asText()).isEqualTo("failed");
    assertThat(body.path("lastError").asText()).contains("400");
    assertThat(body.path("result").path("statusCode").asInt()).isEqualTo(400);
  }

  @Test
  void a_cancelled_task_posts_its_webhook_with_status_cancelled() {
    String path = path("never-run");
    String hook = path("on-cancelled");
    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','webhookUrl':'%s','delay':'1h'}",
                target.url(path), target.url(hook)));

    assertThat(cancel(id).status()).isEqualTo(200);
    eventually()
        .untilAsserted(
            () ->
                assertThat(task(id).path("webhook").path("status").asText())
                    .isEqualTo("delivered"));

    JsonNode body = parse(target.received(hook).get(0).body());
    assertThat(body.path("taskId").asText()).isEqualTo(id);
    assertThat(body.path("status").asText()).isEqualTo("cancelled");
    assertThat(body.path("attempts").asInt()).isZero();
    assertThat(target.received(path)).isEmpty();
  }

  @Test
  void a_webhook_answered_with_500_is_retried_until_delivered() {
    String hook = path("flaky-hook");
    target.onSequence(hook, Reply.status(500), Reply.ok("{}"));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','webhookUrl':'%s'}", target.url(path("w")), target.url(hook)));
    server.awaitFinished(id);
    eventually()
        .untilAsserted(
            () ->
                assertThat(task(id).path("webhook").path("status").asText())
                    .isEqualTo("delivered"));

    assertThat(task(id).path("webhook").path("attempts").asInt()).isEqualTo(2);
    List<Received> calls = target.received(hook);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).body()).isEqualTo(calls.get(0).body());
  }

  @Test
  void a_webhook_that_always_fails_ends_failed_after_all_attempts() {
    String hook = path("dead-hook");
    target.on(hook, Reply.status(500));

    String id =
        server.createTask(
            json(
                "{'callbackUrl':'%s','webhookUrl':'%s'}", target.url(path("w")), target.url(hook)));
    assertThat(server.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
    eventually()
        .untilAsserted(
            () -> assertThat(task(id).path("webhook").path("status").asText()).isEqualTo("failed"));

    JsonNode webhook = task(id).path("webhook");
    assertThat(webhook.path("attempts").asInt())
        .isEqualTo(RunningServer.FAST_WEBHOOKS.attempts())
        .isEqualTo(3);
    assertThat(target.received(hook)).hasSize(3);
    assertThat(task(id).path("status").asText())
        .as("a failed webhook does not change the task")
        .isEqualTo("succeeded");
  }

  @Test
  void the_independent_verifier_accepts_the_standard_webhooks_test_vector() {
    String body = "{\"test\": 2432232314}";
    String signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    assertThat(verifies(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, signature))
        .isTrue();
    assertThat(verifies(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265331", body, signature))
        .isFalse();
  }

  @Test
  void dispatches_and_webhooks_carry_standard_webhooks_signatures(@TempDir Path dataDir) {
    try (RunningServer signed =
        new RunningServer(dataDir, config -> config.withSigningSecrets(List.of(SECRET)))) {
      String path = path("signed-work");
      String hook = path("signed-hook");
      target.onSequence(path, Reply.status(500), Reply.ok("{\"café\":\"crème\"}"));
      String id =
          signed.createTask(
              json(
                  "{'callbackUrl':'%s','webhookUrl':'%s','payload':{'name':'Zoë','n':1},'backoff':{'type':'fixed','initial':'10ms','jitter':false}}",
                  target.url(path), target.url(hook)));
      assertThat(signed.awaitFinished(id).path("status").asText()).isEqualTo("succeeded");
      eventually().untilAsserted(() -> assertThat(target.received(hook)).hasSize(1));

      List<Received> dispatches = target.received(path);
      assertThat(dispatches).hasSize(2);
      for (int i = 0; i < dispatches.size(); i++) {
        Received call = dispatches.get(i);
        assertThat(call.header("webhook-id")).isEqualTo(id + "_" + (i + 1));
        assertSigned(call);
      }
      Received webhook = target.received(hook).get(0);
      assertThat(webhook.header("webhook-id")).isNotBlank();
      assertSigned(webhook);
      assertThat(
              verifies(
                  SECRET,
                  webhook.header("webhook-id"),
                  webhook.header("webhook-timestamp"),
                  webhook.body().replace("succeeded", "failed"),
                  webhook.header("webhook-signature")))
          .as("a changed body does not verify")
          .isFalse();
    }
  }

  private static void assertSigned(Received call) {
    String timestamp = call.header("webhook-timestamp");
    assertThat(timestamp).as("webhook-timestamp of %s", call.path()).matches("\\d+");
    assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)))
        .isLessThan(300);
    assertThat(call.header("webhook-signature"))
        .as("webhook-signature of %s", call.path())
        .startsWith("v1,");
    assertThat(
            verifies(
                SECRET,
                call.header("webhook-id"),
                timestamp,
                call.body(),
                call.header("webhook-signature")))
        .as("signature of %s %s verifies", call.path(), call.header("webhook-id"))
        .isTrue();
  }

  /** Standard Webhooks, written from the spec: v1,base64(HMAC-SHA256(key, id.timestamp.body)). */
  private static boolean verifies(
      String secret, String id, String timestamp, String body, String signatureHeader) {
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      String expected = "v1," + Base64.getEncoder().encodeToString(digest);
      return Arrays.asList(signatureHeader.split(" ")).contains(expected);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
