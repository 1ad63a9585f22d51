package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.offload.client.OffloadClient;
import dev.offload.client.TaskRequest;
import dev.offload.client.WebhookVerificationException;
import dev.offload.client.WebhookVerifier;
import dev.offload.server.TestTarget.Received;
import dev.offload.server.TestTarget.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's verifier against what the real server signs: push calls and webhooks. */
class VerifierIT {
  private static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String NEW_SECRET =
      "whsec_"
          + java.util.Base64.getEncoder()
              .encodeToString(
                  "a-brand-new-secret-of-32-bytes!!".getBytes(StandardCharsets.US_ASCII));

  @Test
  void
      accepts_signed_calls_and_webhooks_and_rejects_changed_bodies_wrong_secrets_and_old_timestamps(
          @TempDir Path dataDir) {
    try (TestTarget target =
            new TestTarget().on("/job", Reply.ok("{\"ok\":true}")).on("/hook", Reply.ok("{}"));
        RunningServer server =
            new RunningServer(dataDir, c -> c.withSigningSecrets(List.of(NEW_SECRET, OLD_SECRET)));
        OffloadClient client =
            OffloadClient.builder().baseUrl(server.url("")).httpClient(server.http()).build()) {
      client
          .tasks()
          .create(
              TaskRequest.builder()
                  .callbackUrl(target.url("/job"))
                  .payload(Map.of("n", 1))
                  .webhookUrl(target.url("/hook"))
                  .build());
      await().atMost(Duration.ofSeconds(30)).until(() -> !target.received("/hook").isEmpty());
      Received call = target.received("/job").getFirst();
      Received webhook = target.received("/hook").getFirst();
      byte[] callBody = call.body().getBytes(StandardCharsets.UTF_8);

      WebhookVerifier current = WebhookVerifier.of(NEW_SECRET);
      WebhookVerifier previous = WebhookVerifier.of(OLD_SECRET);
      assertThatCode(() -> current.verify(call.headers(), callBody)).doesNotThrowAnyException();
      assertThatCode(() -> previous.verify(call.headers(), callBody))
          .as("during a rotation")
          .doesNotThrowAnyException();
      assertThatCode(
              () ->
                  current.verify(
                      webhook.headers(), webhook.body().getBytes(StandardCharsets.UTF_8)))
          .doesNotThrowAnyException();

      byte[] changed = call.body().replace("1", "2").getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> current.verify(call.headers(), changed))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessageContaining("no v1 signature");
      WebhookVerifier stranger =
          WebhookVerifier.of(
              "whsec_"
                  + java.util.Base64.getEncoder()
                      .encodeToString(
                          "somebody-else-s-secret-32-bytes!".getBytes(StandardCharsets.US_ASCII)));
      assertThatThrownBy(() -> stranger.verify(call.headers(), callBody))
          .isInstanceOf(WebhookVerificationException.class);
      Clock sixMinutesLater =
          Clock.fixed(Instant.now().plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
      assertThatThrownBy(
              () ->
                  current
                      .with(sixMinutesLater, WebhookVerifier.DEFAULT_TOLERANCE)
                      .verify(call.headers(), callBody))
          .isInstanceOf(WebhookVerificationException.class)
          .hasMessageContaining("webhook-timestamp");
    }
  }
}
