package dev.offload.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignerTest {
  /** The test vector of the Standard Webhooks specification and its reference libraries. */
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static final String MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static final String OTHER_SECRET =
      "whsec_"
          + Base64.getEncoder()
              .encodeToString(
                  "another-secret-of-32-bytes-long!".getBytes(StandardCharsets.US_ASCII));

  @Test
  void signs_the_standard_webhooks_reference_vector() {
    Signer signer = Signer.fromSecrets(List.of(SECRET));

    assertThat(signer.signature(MESSAGE_ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void add_headers_sets_id_timestamp_and_signature() {
    Signer signer = Signer.fromSecrets(List.of(SECRET));
    Map<String, String> headers = new HashMap<>();

    signer.addHeaders(headers, MESSAGE_ID, Instant.ofEpochSecond(TIMESTAMP, 999_000_000), BODY);

    assertThat(headers)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "webhook-id", MESSAGE_ID,
                "webhook-timestamp", "1614265330",
                "webhook-signature", SIGNATURE));
  }

  @Test
  void two_secrets_give_two_space_separated_signatures_current_first() {
    Signer both = Signer.fromSecrets(List.of(SECRET, OTHER_SECRET));
    String otherAlone =
        Signer.fromSecrets(List.of(OTHER_SECRET)).signature(MESSAGE_ID, TIMESTAMP, BODY);

    String signature = both.signature(MESSAGE_ID, TIMESTAMP, BODY);

    assertThat(signature.split(" ")).containsExactly(SIGNATURE, otherAlone);
    assertThat(otherAlone).startsWith("v1,").isNotEqualTo(SIGNATURE);
  }

  @Test
  void add_headers_adds_nothing_without_secrets() {
    Map<String, String> headers = new HashMap<>(Map.of("Offload-Task-Id", "tsk_x"));

    Signer.none().addHeaders(headers, MESSAGE_ID, Instant.ofEpochSecond(TIMESTAMP), BODY);
    Signer.fromSecrets(List.of())
        .addHeaders(headers, MESSAGE_ID, Instant.ofEpochSecond(TIMESTAMP), BODY);

    assertThat(headers).containsExactlyEntriesOf(Map.of("Offload-Task-Id", "tsk_x"));
    assertThat(Signer.none().isEnabled()).isFalse();
    assertThat(Signer.fromSecrets(List.of(SECRET)).isEnabled()).isTrue();
  }

  @Test
  void a_missing_body_is_signed_as_an_empty_body() {
    Signer signer = Signer.fromSecrets(List.of(SECRET));
    Map<String, String> headers = new HashMap<>();

    signer.addHeaders(headers, MESSAGE_ID, Instant.ofEpochSecond(TIMESTAMP), null);

    assertThat(headers.get("webhook-signature"))
        .isEqualTo(signer.signature(MESSAGE_ID, TIMESTAMP, new byte[0]));
  }

  @Test
  void the_signature_covers_id_timestamp_and_body() {
    Signer signer = Signer.fromSecrets(List.of(SECRET));

    assertThat(signer.signature("msg_other", TIMESTAMP, BODY)).isNotEqualTo(SIGNATURE);
    assertThat(signer.signature(MESSAGE_ID, TIMESTAMP + 1, BODY)).isNotEqualTo(SIGNATURE);
    assertThat(
            signer.signature(
                MESSAGE_ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(SIGNATURE);
  }

  @Test
  void the_whsec_prefix_is_optional() {
    Signer signer = Signer.fromSecrets(List.of(" " + SECRET.substring("whsec_".length()) + "\n"));

    assertThat(signer.signature(MESSAGE_ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void rejects_secrets_that_are_not_base64_or_too_short() {
    assertThatThrownBy(() -> Signer.fromSecrets(List.of("whsec_not base64!")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsec_");
    assertThatThrownBy(
            () -> Signer.decode("whsec_" + Base64.getEncoder().encodeToString(new byte[8])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16")
        .hasMessageContaining("8");
  }
}
