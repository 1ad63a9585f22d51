package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {
  /**
   * The test vector of the Standard Webhooks specification (the server's SignerTest signs the
   * same).
   */
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static final String OTHER =
      "whsec_"
          + java.util.Base64.getEncoder()
              .encodeToString(
                  "another-secret-of-32-bytes-long!".getBytes(StandardCharsets.US_ASCII));
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> HEADERS =
      Map.of(
          "webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
          "webhook-timestamp", Long.toString(TIMESTAMP),
          "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

  private static WebhookVerifier at(long epochSecond, String... secrets) {
    return WebhookVerifier.of(secrets)
        .with(
            Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC),
            WebhookVerifier.DEFAULT_TOLERANCE);
  }

  @Test
  void accepts_the_standard_webhooks_reference_vector() {
    assertThatCode(() -> at(TIMESTAMP, SECRET).verify(HEADERS, BODY)).doesNotThrowAnyException();
  }

  @Test
  void accepts_when_any_secret_matches_any_signature_during_a_rotation() {
    Map<String, String> twoSignatures =
        Map.of(
            "Webhook-Id",
            HEADERS.get("webhook-id"),
            "Webhook-Timestamp",
            HEADERS.get("webhook-timestamp"),
            "Webhook-Signature",
            "v1,bm90IHRoaXMgb25l " + HEADERS.get("webhook-signature"));

    assertThatCode(() -> at(TIMESTAMP, OTHER, SECRET).verify(twoSignatures, BODY))
        .doesNotThrowAnyException();
  }

  @Test
  void rejects_a_changed_body() {
    byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> at(TIMESTAMP, SECRET).verify(HEADERS, changed))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void rejects_a_wrong_secret() {
    assertThatThrownBy(() -> at(TIMESTAMP, OTHER).verify(HEADERS, BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void rejects_timestamps_more_than_five_minutes_old_or_ahead() {
    assertThatCode(() -> at(TIMESTAMP + 300, SECRET).verify(HEADERS, BODY))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> at(TIMESTAMP + 301, SECRET).verify(HEADERS, BODY))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessageContaining("webhook-timestamp");
    assertThatThrownBy(() -> at(TIMESTAMP - 301, SECRET).verify(HEADERS, BODY))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void rejects_a_request_without_the_signature_headers() {
    assertThatThrownBy(() -> at(TIMESTAMP, SECRET).verify(Map.of(), BODY))
        .isInstanceOf(WebhookVerificationException.class)
        .hasMessageContaining("webhook-id");
  }

  @Test
  void a_secret_that_is_not_base64_is_refused_at_once() {
    assertThatThrownBy(() -> WebhookVerifier.of("whsec_not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> WebhookVerifier.of(SECRET).with(Clock.systemUTC(), Duration.ofMinutes(1)))
        .doesNotThrowAnyException();
  }
}
