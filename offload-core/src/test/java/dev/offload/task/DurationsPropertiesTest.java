package dev.offload.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link Durations} on arbitrary input: one documented refusal, and a format that parse reads back.
 */
class DurationsPropertiesTest {

  @Property(tries = 2_000)
  void any_string_is_parsed_to_a_non_negative_duration_or_refused_with_the_documented_exception(
      @ForAll String text) {
    assertParsesOrIsRefused(text);
  }

  @Property(tries = 2_000)
  void duration_like_strings_are_parsed_to_a_non_negative_duration_or_refused(
      @ForAll("durationLike") String text) {
    assertParsesOrIsRefused(text);
  }

  @Property(tries = 1_000)
  void format_is_read_back_by_parse_to_the_millisecond(
      @ForAll @LongRange(min = 0, max = 400L * 86_400_000) long millis) {
    Duration duration = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }

  @Property(tries = 1_000)
  void format_is_read_back_by_parse_for_any_non_negative_duration(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seconds,
      @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
    Duration duration = Duration.ofSeconds(seconds, nanos);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }

  @Property(tries = 500)
  void a_short_form_means_what_it_says(
      @ForAll @LongRange(min = 0, max = 999_999_999) long amount, @ForAll("units") String unit) {
    Duration expected =
        switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
    assertThat(Durations.parse(amount + unit)).isEqualTo(expected);
    assertThat(Durations.parse(" " + amount + unit + "\t")).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> units() {
    return Arbitraries.of("ms", "s", "m", "h", "d");
  }

  /** Digits, signs, units and ISO-8601 letters in any order, with the odd wide number. */
  @Provide
  Arbitrary<String> durationLike() {
    Arbitrary<String> soup =
        Arbitraries.strings().withChars("0123456789PTDHMSms.,-+ ").ofMaxLength(30);
    Arbitrary<String> wide =
        Combinators.combine(
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.of("ms", "s", "m", "h", "d", "", "x", "S", "H"),
                Arbitraries.of("", "PT", "P", "-PT", "PT-"))
            .as((digits, unit, prefix) -> prefix + digits + unit);
    return Arbitraries.oneOf(soup, wide);
  }

  private static void assertParsesOrIsRefused(String text) {
    Duration parsed;
    try {
      parsed = Durations.parse(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).startsWith(Durations.EXPECTED);
      return;
    }
    assertThat(parsed.isNegative()).as("parsed %s from \"%s\"", parsed, text).isFalse();
  }
}
