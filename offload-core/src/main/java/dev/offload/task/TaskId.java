package dev.offload.task;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import java.time.Instant;
import java.util.regex.Pattern;

/** A task's id: {@code tsk_} followed by a monotonic ULID, so ids sort by creation time. */
public record TaskId(String value) implements Comparable<TaskId> {
  private static final String PREFIX = "tsk_";
  private static final Pattern SHAPE = Pattern.compile("tsk_[0-9A-HJKMNP-TV-Z]{26}");

  public TaskId {
    if (value == null || !SHAPE.matcher(value).matches()) {
      throw new IllegalArgumentException("not a task id: " + value);
    }
  }

  public static TaskId generate() {
    return new TaskId(PREFIX + UlidCreator.getMonotonicUlid());
  }

  /**
   * The smallest id of the millisecond {@code at}: every id {@link #generate} returns when the wall
   * clock reads {@code at} or later sorts at or after it, a lower bound for range scans over ids.
   */
  public static TaskId smallestAt(Instant at) {
    return new TaskId(PREFIX + Ulid.min(at.toEpochMilli()));
  }

  /** Whether {@code text} has the shape of a task id (no exception for user input). */
  public static boolean isValid(String text) {
    return text != null && SHAPE.matcher(text).matches();
  }

  @Override
  public int compareTo(TaskId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
