package dev.offload.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CronSpec#parse} on arbitrary input: it either refuses with {@link InvalidCronException} or
 * gives a spec whose slots move strictly forward, never anything else.
 */
class CronSpecPropertiesTest {
  private static final Instant FROM = Instant.parse("2026-03-29T00:30:00Z");
  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("UTC"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Asia/Kathmandu"));

  @Property(tries = 1_000)
  void any_string_is_a_spec_or_refused(@ForAll String text, @ForAll("zones") ZoneId zone) {
    assertSpecOrRefused(text, zone);
  }

  @Property(tries = 1_500)
  void any_five_cron_fields_are_a_spec_or_refused(
      @ForAll("cronLike") String text, @ForAll("zones") ZoneId zone) {
    assertSpecOrRefused(text, zone);
  }

  @Property(tries = 500)
  void any_every_period_is_a_spec_or_refused(@ForAll("everyLike") String text) {
    assertSpecOrRefused(text, ZoneId.of("UTC"));
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES);
  }

  /**
   * Five fields built from what cron fields are made of: numbers in and out of range, steps,
   * ranges, lists, names.
   */
  @Provide
  Arbitrary<String> cronLike() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-2, 70).map(String::valueOf),
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25));
    Arbitrary<String> atom =
        Arbitraries.oneOf(
            number,
            Arbitraries.of("*", "?", "L", "W", "LW", "#", "JAN", "MON", "sun", "", "-", "/"));
    Arbitrary<String> part =
        Arbitraries.oneOf(
            atom,
            Combinators.combine(atom, number).as((a, n) -> a + "/" + n),
            Combinators.combine(number, number).as((a, b) -> a + "-" + b),
            Combinators.combine(number, number).as((a, b) -> a + "#" + b));
    Arbitrary<String> field =
        part.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(",", parts));
    return field.list().ofMinSize(4).ofMaxSize(6).map(fields -> String.join(" ", fields));
  }

  @Provide
  Arbitrary<String> everyLike() {
    return Arbitraries.oneOf(
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20),
            Arbitraries.strings().ofMaxLength(10))
        .flatMap(
            amount ->
                Arbitraries.of("ms", "s", "m", "h", "d", "", " ")
                    .map(unit -> "@every " + amount + unit));
  }

  private static void assertSpecOrRefused(String text, ZoneId zone) {
    CronSpec spec;
    try {
      spec = CronSpec.parse(text, zone);
    } catch (InvalidCronException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    List<Instant> slots = spec.next(FROM, 3);
    assertThat(slots).as("slots of \"%s\"", text).isNotEmpty().isSorted().doesNotHaveDuplicates();
    assertThat(slots.getFirst()).isAfter(FROM);
    Instant latest = spec.latestAtOrBefore(slots.getFirst());
    assertThat(latest)
        .as("the latest slot at or before the first slot of \"%s\"", text)
        .isEqualTo(slots.getFirst());
  }
}
