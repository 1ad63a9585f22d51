package dev.offload.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How long a task waits before each retry. For retry {@code n} (1 for the first): exponential waits
 * {@code min(max, initial * factor^(n-1))}, linear {@code min(max, initial * n)}, fixed {@code
 * min(max, initial)}; with jitter (the default) the wait is drawn from {@code [delay/2, delay]}. A
 * parameter left null takes the server's default: initial 1 s, max 1 h, factor 2, jitter on.
 *
 * <pre>{@code
 * Backoff.exponential().withInitial(Duration.ofMillis(500)).withMax(Duration.ofMinutes(5))
 * Backoff.fixed(Duration.ofSeconds(10)).withJitter(false)
 * }</pre>
 */
public record Backoff(Type type, Duration initial, Duration max, Double factor, Boolean jitter) {
  public enum Type {
    EXPONENTIAL,
    LINEAR,
    FIXED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Backoff {
    Objects.requireNonNull(type, "type");
    if (initial != null) WireDurations.requireNonNegative(initial, "initial");
    if (max != null) WireDurations.requireNonNegative(max, "max");
    if (factor != null && !(factor >= 1 && factor <= 100)) {
      throw new IllegalArgumentException("factor must be from 1 to 100, got " + factor);
    }
  }

  /** Exponential with the server's defaults (the default backoff of every task). */
  public static Backoff exponential() {
    return new Backoff(Type.EXPONENTIAL, null, null, null, null);
  }

  /** Linear with the server's defaults: 1 s, 2 s, 3 s, … up to 1 h. */
  public static Backoff linear() {
    return new Backoff(Type.LINEAR, null, null, null, null);
  }

  /** The same wait before every retry. */
  public static Backoff fixed(Duration delay) {
    return new Backoff(Type.FIXED, delay, delay, null, null);
  }

  public Backoff withInitial(Duration newInitial) {
    return new Backoff(type, newInitial, max, factor, jitter);
  }

  public Backoff withMax(Duration newMax) {
    return new Backoff(type, initial, newMax, factor, jitter);
  }

  public Backoff withFactor(double newFactor) {
    return new Backoff(type, initial, max, newFactor, jitter);
  }

  public Backoff withJitter(boolean newJitter) {
    return new Backoff(type, initial, max, factor, newJitter);
  }

  /** {@code "exponential"} when only the type is set, else the object form. */
  JsonNode toJson() {
    if (initial == null && max == null && factor == null && jitter == null) {
      return JsonNodeFactory.instance.textNode(type.wire());
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("type", type.wire());
    if (initial != null) json.put("initial", WireDurations.format(initial));
    if (max != null) json.put("max", WireDurations.format(max));
    if (factor != null) json.put("factor", factor);
    if (jitter != null) json.put("jitter", jitter);
    return json;
  }
}
