package dev.offload.schedule;

import java.time.ZoneId;
import java.util.regex.Pattern;

/** A schedule as a user declares it (the body of {@code PUT /v1/schedules/{name}}). */
public record ScheduleDefinition(
    String name,
    CronSpec cron,
    ZoneId timezone,
    TaskTemplate task,
    boolean paused,
    Overlap overlap,
    CatchUp catchUp) {
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  public static final String NAME_RULE =
      "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";

  public ScheduleDefinition {
    if (name == null || !NAME.matcher(name).matches())
      throw new IllegalArgumentException("schedule name " + NAME_RULE);
    if (cron == null || timezone == null || task == null || overlap == null || catchUp == null) {
      throw new IllegalArgumentException("cron, timezone, task, overlap and catchUp are required");
    }
    if (cron instanceof CronSpec.Cron c && !c.zone().equals(timezone)) {
      throw new IllegalArgumentException(
          "cron is evaluated in " + c.zone() + ", not in " + timezone);
    }
  }

  /**
   * A definition with default overlap (allow) and catch-up (latest); throws {@link
   * InvalidCronException} for a bad expression.
   */
  public static ScheduleDefinition of(
      String name, String cron, ZoneId timezone, TaskTemplate task) {
    return new ScheduleDefinition(
        name, CronSpec.parse(cron, timezone), timezone, task, false, Overlap.ALLOW, CatchUp.LATEST);
  }

  public ScheduleDefinition withPaused(boolean value) {
    return new ScheduleDefinition(name, cron, timezone, task, value, overlap, catchUp);
  }

  public ScheduleDefinition withOverlap(Overlap value) {
    return new ScheduleDefinition(name, cron, timezone, task, paused, value, catchUp);
  }

  public ScheduleDefinition withCatchUp(CatchUp value) {
    return new ScheduleDefinition(name, cron, timezone, task, paused, overlap, value);
  }
}
