package dev.offload.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the Standard Webhooks signature (standardwebhooks.com) Offload puts on every push call and
 * webhook when {@code OFFLOAD_SIGNING_SECRETS} is set: {@code webhook-signature} holds one or more
 * space-separated {@code v1,<base64 HMAC-SHA256(secret, id + "." + timestamp + "." + body)>}. Give
 * every secret you accept (during a rotation, the new and the old); a request passes when any
 * signature matches any secret (compared in constant time) and its {@code webhook-timestamp} is
 * within 5 minutes of now, which stops replays of old requests. Thread-safe.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of(System.getenv("OFFLOAD_SIGNING_SECRETS").split(","));   // the server's secrets
 * verifier.verify(exchange.getRequestHeaders()::getFirst, body);   // throws WebhookVerificationException
 * }</pre>
 */
public final class WebhookVerifier {
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
  private static final String PREFIX = "whsec_";

  private final List<SecretKeySpec> keys;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(List<SecretKeySpec> keys, Duration tolerance, Clock clock) {
    this.keys = keys;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /**
   * A verifier accepting any of {@code secrets} ({@code whsec_<base64>}, the prefix is optional).
   */
  public static WebhookVerifier of(String... secrets) {
    return of(List.of(secrets));
  }

  public static WebhookVerifier of(List<String> secrets) {
    if (secrets.isEmpty()) throw new IllegalArgumentException("give at least one signing secret");
    List<SecretKeySpec> keys = new ArrayList<>();
    for (String secret : secrets)
      keys.add(new SecretKeySpec(decode(Objects.requireNonNull(secret, "secret")), "HmacSHA256"));
    return new WebhookVerifier(List.copyOf(keys), DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  /** The same secrets with another clock (for tests) and timestamp tolerance. */
  public WebhookVerifier with(Clock clock, Duration tolerance) {
    WireDurations.requireNonNegative(tolerance, "tolerance");
    return new WebhookVerifier(keys, tolerance, Objects.requireNonNull(clock, "clock"));
  }

  private static byte[] decode(String secret) {
    String text = secret.strip();
    if (text.startsWith(PREFIX)) text = text.substring(PREFIX.length());
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a signing secret must be whsec_<base64>: " + e.getMessage(), e);
    }
  }

  /** Verifies a request whose headers are in {@code headers} (names in any case). */
  public void verify(Map<String, String> headers, byte[] body) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    verify(byName::get, body);
  }

  /**
   * Verifies a request; {@code header} gives a header's value by name, such as {@code
   * exchange.getRequestHeaders()::getFirst} or Javalin's {@code ctx::header}. {@code body} is the
   * body exactly as received. Throws {@link WebhookVerificationException} when it does not pass.
   */
  public void verify(Function<String, String> header, byte[] body) {
    String id = required(header, "webhook-id");
    String timestamp = required(header, "webhook-timestamp");
    String signatures = required(header, "webhook-signature");
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new WebhookVerificationException(
          "webhook-timestamp is not a number of seconds: " + timestamp);
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - seconds) > tolerance.toSeconds()) {
      throw new WebhookVerificationException(
          "webhook-timestamp "
              + seconds
              + " is more than "
              + tolerance.toSeconds()
              + "s away from now ("
              + now
              + "): an old or replayed request, or a wrong clock");
    }
    byte[] signed = (id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8);
    List<byte[]> expected =
        keys.stream().map(key -> hmac(key, signed, body == null ? new byte[0] : body)).toList();
    for (String entry : signatures.strip().split(" +")) {
      if (!entry.toLowerCase(Locale.ROOT).startsWith("v1,")) continue;
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] mac : expected) {
        if (MessageDigest.isEqual(mac, given)) return;
      }
    }
    throw new WebhookVerificationException(
        "no v1 signature in webhook-signature matches the body with any of the "
            + keys.size()
            + " secrets");
  }

  private static String required(Function<String, String> header, String name) {
    String value = header.apply(name);
    if (value == null || value.isBlank())
      throw new WebhookVerificationException("the request has no " + name + " header");
    return value;
  }

  private static byte[] hmac(SecretKeySpec key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
