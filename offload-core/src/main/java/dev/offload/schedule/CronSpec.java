package dev.offload.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.offload.task.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a schedule's slots fall: a 5-field Unix cron in a time zone (parsed by cron-utils), a macro,
 * or {@code @every <duration>}.
 *
 * <p>Daylight saving follows cron-utils on java.time: a wall-clock time that does not exist on a
 * spring-forward day is skipped that day; a fixed time that occurs twice on a fall-back night runs
 * once, at its first occurrence, while expressions that repeat within the hour (such as {@code 0 *
 * * * *}) keep running every real hour through the repeated one. {@code @every} slots are multiples
 * of the period since the Unix epoch, so every node computes the same slots.
 */
public sealed interface CronSpec {
  Duration MIN_EVERY = Duration.ofSeconds(1);
  Duration MAX_EVERY = Duration.ofDays(366);
  Map<String, String> MACROS =
      Map.of(
          "@yearly",
          "0 0 1 1 *",
          "@annually",
          "0 0 1 1 *",
          "@monthly",
          "0 0 1 * *",
          "@weekly",
          "0 0 * * 0",
          "@daily",
          "0 0 * * *",
          "@midnight",
          "0 0 * * *",
          "@hourly",
          "0 * * * *");

  /** The expression as written. */
  String text();

  /** The first slot strictly after {@code time}; null if there is none. */
  Instant nextAfter(Instant time);

  /** The last slot at or before {@code time}; null if there is none. */
  Instant latestAtOrBefore(Instant time);

  /** Up to {@code count} slots strictly after {@code time}, in order. */
  default List<Instant> next(Instant time, int count) {
    List<Instant> slots = new ArrayList<>(count);
    Instant slot = time;
    while (slots.size() < count && (slot = nextAfter(slot)) != null) slots.add(slot);
    return slots;
  }

  /**
   * Parses {@code text} for slots in {@code zone}; throws {@link InvalidCronException} saying what
   * is wrong.
   */
  static CronSpec parse(String text, ZoneId zone) {
    if (text == null || text.isBlank()) throw new InvalidCronException("is required");
    // cron-utils reads past a trailing NUL; stored, it would break PostgreSQL's text type.
    if (text.chars().anyMatch(Character::isISOControl))
      throw new InvalidCronException("must not contain control characters");
    String trimmed = text.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("@every")) return Every.parse(trimmed);
    if (lower.startsWith("@")) {
      String expanded = MACROS.get(lower);
      if (expanded == null) {
        throw new InvalidCronException(
            "unknown macro \""
                + trimmed
                + "\"; use @yearly, @annually, @monthly, @weekly, "
                + "@daily, @midnight, @hourly or @every <duration>");
      }
      return Cron.parse(trimmed, expanded, zone);
    }
    return Cron.parse(trimmed, trimmed, zone);
  }

  /** A cron expression evaluated in a time zone. */
  record Cron(String text, ZoneId zone, ExecutionTime executions) implements CronSpec {
    private static final CronParser PARSER =
        new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Instant PROBE = Instant.parse("2000-01-01T00:00:00Z");

    static Cron parse(String text, String expression, ZoneId zone) {
      ExecutionTime executions;
      try {
        executions = ExecutionTime.forCron(PARSER.parse(expression));
      } catch (IllegalArgumentException e) {
        throw new InvalidCronException(
            "is not a 5-field Unix cron expression (minute hour day-of-month month "
                + "day-of-week): "
                + e.getMessage());
      }
      Cron cron = new Cron(text, zone, executions);
      if (cron.nextAfter(PROBE) == null)
        throw new InvalidCronException("never matches a date (e.g. 30 February)");
      return cron;
    }

    @Override
    public Instant nextAfter(Instant time) {
      ZonedDateTime from = time.atZone(zone);
      ZonedDateTime next = executions.nextExecution(from).orElse(null);
      // Guard against a slot that does not move forward, so no caller can loop on one instant.
      while (next != null && !next.toInstant().isAfter(time)) {
        from = from.plusMinutes(1);
        next = executions.nextExecution(from).orElse(null);
      }
      return next == null ? null : next.toInstant();
    }

    @Override
    public Instant latestAtOrBefore(Instant time) {
      // cron-utils answers strictly before; slots are whole minutes, so 1 ms later includes time
      // itself.
      return executions
          .lastExecution(time.plusMillis(1).atZone(zone))
          .map(ZonedDateTime::toInstant)
          .orElse(null);
    }
  }

  /** {@code @every <period>}: slots at whole multiples of the period since the epoch. */
  record Every(String text, Duration period) implements CronSpec {
    static Every parse(String text) {
      String rest = text.substring("@every".length()).strip();
      Duration period;
      try {
        period = Durations.parse(rest);
      } catch (IllegalArgumentException e) {
        throw new InvalidCronException(
            "@every needs a duration such as \"30s\", \"10m\" or \"2h\", got \"" + rest + "\"");
      }
      if (period.compareTo(MIN_EVERY) < 0
          || period.compareTo(MAX_EVERY) > 0
          || period.toMillis() % 1000 != 0) {
        throw new InvalidCronException(
            "@every must be whole seconds from 1s to 366d, got \"" + rest + "\"");
      }
      return new Every(text, period);
    }

    @Override
    public Instant nextAfter(Instant time) {
      long p = period.toMillis();
      return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), p) * p + p);
    }

    @Override
    public Instant latestAtOrBefore(Instant time) {
      long p = period.toMillis();
      return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), p) * p);
    }
  }
}
