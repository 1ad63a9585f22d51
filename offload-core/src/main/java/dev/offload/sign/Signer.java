package dev.offload.sign;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Signs outgoing requests the Standard Webhooks way (standardwebhooks.com), so receivers can verify
 * with any of its libraries: {@code webhook-signature} holds {@code v1,<base64 HMAC-SHA256(key, id
 * + "." + timestamp + "." + body)>} once per secret, space-separated, so a receiver that knows
 * either the old or the new secret accepts during a rotation.
 */
public final class Signer {
  private static final String PREFIX = "whsec_";
  private final List<KeyedMac> keys;

  private Signer(List<KeyedMac> keys) {
    this.keys = List.copyOf(keys);
  }

  public static Signer none() {
    return new Signer(List.of());
  }

  /** Parses {@code whsec_<base64>} secrets, current first. */
  public static Signer fromSecrets(List<String> secrets) {
    List<KeyedMac> keys = new ArrayList<>();
    for (String secret : secrets) keys.add(new KeyedMac(decode(secret)));
    return new Signer(keys);
  }

  /**
   * The key bytes of a {@code whsec_} secret; the prefix is optional as in the spec's libraries.
   */
  public static byte[] decode(String secret) {
    String text = secret.strip();
    if (text.startsWith(PREFIX)) text = text.substring(PREFIX.length());
    try {
      byte[] key = Base64.getDecoder().decode(text);
      if (key.length < 16)
        throw new IllegalArgumentException(
            "a signing secret needs at least 16 bytes, got " + key.length);
      return key;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "signing secret is not whsec_<base64>: " + e.getMessage(), e);
    }
  }

  public boolean isEnabled() {
    return !keys.isEmpty();
  }

  /**
   * Adds {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} when enabled.
   */
  public void addHeaders(Map<String, String> headers, String messageId, Instant now, byte[] body) {
    if (!isEnabled()) return;
    long timestamp = now.getEpochSecond();
    headers.put("webhook-id", messageId);
    headers.put("webhook-timestamp", Long.toString(timestamp));
    headers.put(
        "webhook-signature", signature(messageId, timestamp, body == null ? new byte[0] : body));
  }

  /** The {@code webhook-signature} value for a message. */
  public String signature(String messageId, long timestampSeconds, byte[] body) {
    byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (KeyedMac key : keys) {
      if (!out.isEmpty()) out.append(' ');
      out.append("v1,").append(Base64.getEncoder().encodeToString(key.of(prefix, body)));
    }
    return out.toString();
  }
}
