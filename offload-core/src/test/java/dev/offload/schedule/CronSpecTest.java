package dev.offload.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronSpecTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static Instant at(String localDateTime, ZoneId zone) {
    return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
  }

  private static List<ZonedDateTime> next(String cron, ZoneId zone, String fromLocal, int count) {
    return CronSpec.parse(cron, zone).next(at(fromLocal, zone), count).stream()
        .map(i -> i.atZone(zone))
        .toList();
  }

  private static List<String> offsets(List<ZonedDateTime> times) {
    return times.stream().map(t -> t.toLocalDateTime() + t.getOffset().getId()).toList();
  }

  @Test
  void a_daily_slot_in_the_hour_skipped_by_spring_forward_does_not_run_that_day_in_berlin() {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist.
    assertThat(offsets(next("30 2 * * *", BERLIN, "2026-03-28T12:00", 3)))
        .containsExactly(
            "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00", "2026-04-01T02:30+02:00");
  }

  @Test
  void a_daily_slot_in_the_repeated_hour_of_fall_back_runs_once_in_berlin() {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice; it runs at the first one.
    assertThat(offsets(next("30 2 * * *", BERLIN, "2026-10-24T12:00", 3)))
        .containsExactly(
            "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00", "2026-10-27T02:30+01:00");
  }

  @Test
  void an_hourly_schedule_runs_every_real_hour_across_both_changes_in_new_york() {
    // 2026-03-08 02:00 EST -> 03:00 EDT: 23 real hours that day.
    assertThat(offsets(next("0 * * * *", NEW_YORK, "2026-03-08T00:30", 3)))
        .containsExactly(
            "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00");
    // 2026-11-01 02:00 EDT -> 01:00 EST: the 01:00 hour happens twice and runs in both.
    assertThat(offsets(next("0 * * * *", NEW_YORK, "2026-11-01T00:30", 4)))
        .containsExactly(
            "2026-11-01T01:00-04:00",
            "2026-11-01T01:00-05:00",
            "2026-11-01T02:00-05:00",
            "2026-11-01T03:00-05:00");
  }

  @Test
  void a_daily_new_york_slot_stays_at_local_time_so_its_utc_time_moves_with_dst() {
    List<Instant> slots =
        CronSpec.parse("0 9 * * *", NEW_YORK).next(at("2026-03-07T12:00", NEW_YORK), 2);
    assertThat(slots)
        .containsExactly(
            Instant.parse("2026-03-08T13:00:00Z"), Instant.parse("2026-03-09T13:00:00Z"));
    assertThat(CronSpec.parse("0 9 * * *", NEW_YORK).nextAfter(at("2026-03-06T12:00", NEW_YORK)))
        .isEqualTo(Instant.parse("2026-03-07T14:00:00Z"));
  }

  @Test
  void the_31st_only_runs_in_months_that_have_one() {
    assertThat(
            next("0 0 31 * *", UTC, "2026-01-31T12:00", 3).stream()
                .map(t -> t.toLocalDate().toString()))
        .containsExactly("2026-03-31", "2026-05-31", "2026-07-31");
  }

  @Test
  void the_29th_of_february_runs_in_leap_years_only() {
    assertThat(
            next("0 12 29 2 *", BERLIN, "2026-01-01T00:00", 2).stream()
                .map(t -> t.toLocalDate().toString()))
        .containsExactly("2028-02-29", "2032-02-29");
  }

  @Test
  void ranges_lists_steps_and_names_are_understood() {
    assertThat(
            next("*/20 9-10 * JAN mon-fri", UTC, "2026-01-02T10:30", 3).stream()
                .map(ZonedDateTime::toLocalDateTime)
                .map(Object::toString))
        .containsExactly("2026-01-02T10:40", "2026-01-05T09:00", "2026-01-05T09:20");
    assertThat(
            next("0 8 * * 1,3", UTC, "2026-01-01T00:00", 2).stream()
                .map(t -> t.getDayOfWeek().toString()))
        .containsExactly("MONDAY", "WEDNESDAY");
  }

  @Test
  void macros_expand_to_their_cron() {
    Instant from = Instant.parse("2026-05-14T10:15:00Z");
    assertThat(CronSpec.parse("@hourly", UTC).nextAfter(from)).isEqualTo("2026-05-14T11:00:00Z");
    assertThat(CronSpec.parse("@daily", UTC).nextAfter(from)).isEqualTo("2026-05-15T00:00:00Z");
    assertThat(CronSpec.parse("@weekly", UTC).nextAfter(from)).isEqualTo("2026-05-17T00:00:00Z");
    assertThat(CronSpec.parse("@monthly", UTC).nextAfter(from)).isEqualTo("2026-06-01T00:00:00Z");
    assertThat(CronSpec.parse("@yearly", UTC).nextAfter(from)).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(CronSpec.parse("@daily", BERLIN).nextAfter(from)).isEqualTo("2026-05-14T22:00:00Z");
  }

  @Test
  void every_slots_are_multiples_of_the_period_since_the_epoch() {
    CronSpec every = CronSpec.parse("@every 30s", BERLIN);
    assertThat(every.next(Instant.parse("2026-05-14T10:15:07.250Z"), 3))
        .containsExactly(
            Instant.parse("2026-05-14T10:15:30Z"),
            Instant.parse("2026-05-14T10:16:00Z"),
            Instant.parse("2026-05-14T10:16:30Z"));
    assertThat(every.nextAfter(Instant.parse("2026-05-14T10:15:30Z")))
        .isEqualTo("2026-05-14T10:16:00Z");
    assertThat(every.latestAtOrBefore(Instant.parse("2026-05-14T10:15:30Z")))
        .isEqualTo("2026-05-14T10:15:30Z");
    assertThat(CronSpec.parse("@every 2h", UTC).nextAfter(Instant.parse("2026-05-14T10:15:00Z")))
        .isEqualTo("2026-05-14T12:00:00Z");
  }

  @Test
  void the_latest_slot_at_or_before_a_time_includes_that_time() {
    CronSpec quarter = CronSpec.parse("*/15 * * * *", UTC);
    assertThat(quarter.latestAtOrBefore(Instant.parse("2026-05-14T10:15:00Z")))
        .isEqualTo("2026-05-14T10:15:00Z");
    assertThat(quarter.latestAtOrBefore(Instant.parse("2026-05-14T10:29:59Z")))
        .isEqualTo("2026-05-14T10:15:00Z");
    assertThat(quarter.nextAfter(Instant.parse("2026-05-14T10:15:00Z")))
        .isEqualTo("2026-05-14T10:30:00Z");
  }

  @Test
  void bad_expressions_are_refused_with_the_reason() {
    assertThatThrownBy(() -> CronSpec.parse("61 * * * *", UTC))
        .isInstanceOf(InvalidCronException.class)
        .hasMessageContaining("Value 61 not in range [0, 59]");
    assertThatThrownBy(() -> CronSpec.parse("* * * *", UTC))
        .hasMessageContaining("contains 4 parts");
    assertThatThrownBy(() -> CronSpec.parse("0 0 30 2 *", UTC))
        .hasMessageContaining("never matches");
    assertThatThrownBy(() -> CronSpec.parse("@fortnightly", UTC))
        .hasMessageContaining("unknown macro \"@fortnightly\"");
    assertThatThrownBy(() -> CronSpec.parse("@every soon", UTC))
        .hasMessageContaining("@every needs a duration");
    assertThatThrownBy(() -> CronSpec.parse("@every 500ms", UTC))
        .hasMessageContaining("whole seconds from 1s");
    assertThatThrownBy(() -> CronSpec.parse(" ", UTC)).hasMessage("is required");
  }
}
