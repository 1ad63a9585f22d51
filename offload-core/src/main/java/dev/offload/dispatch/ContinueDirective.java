package dev.offload.dispatch;

import dev.offload.task.Durations;
import java.time.Duration;

/**
 * What a target asked for with {@code Offload-Continue}: an empty value calls again at once, {@code
 * after=<duration>} after a sleep, {@code await=<duration>} when a callback is posted or the wait
 * ends. {@code delay} is zero for {@link Kind#NOW}.
 */
public record ContinueDirective(Kind kind, Duration delay) {
  /** The longest sleep or await a target may ask for. */
  public static final Duration MAX_WAIT = Duration.ofDays(365);

  public enum Kind {
    NOW,
    AFTER,
    AWAIT
  }

  /**
   * Reads the header's value; throws {@link IllegalArgumentException} with a message that quotes
   * what the target sent, so the task's {@code lastError} says what was wrong.
   */
  public static ContinueDirective parse(String header) {
    String text = header.strip();
    if (text.isEmpty()) return new ContinueDirective(Kind.NOW, Duration.ZERO);
    int equals = text.indexOf('=');
    String word = equals < 0 ? text : text.substring(0, equals).strip();
    Kind kind =
        switch (word) {
          case "after" -> Kind.AFTER;
          case "await" -> Kind.AWAIT;
          default ->
              throw bad(header, "expected nothing, \"after=<duration>\" or \"await=<duration>\"");
        };
    if (equals < 0) throw bad(header, word + " needs a duration, e.g. " + word + "=30s");
    Duration wait;
    try {
      wait = Durations.parse(text.substring(equals + 1));
    } catch (IllegalArgumentException e) {
      throw bad(header, "the duration " + Durations.EXPECTED);
    }
    if (wait.compareTo(MAX_WAIT) > 0) throw bad(header, "the duration must be at most 365d");
    return new ContinueDirective(kind, wait);
  }

  private static IllegalArgumentException bad(String header, String why) {
    return new IllegalArgumentException("invalid Offload-Continue: \"" + header + "\": " + why);
  }
}
