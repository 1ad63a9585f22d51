package dev.offload.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * {@code Prefer: wait=} (RFC 7240): a preference the server cannot read is ignored, and a wait is
 * capped at 60 s.
 */
class PreferWaitPropertiesTest {

  @Property(tries = 2_000)
  void any_prefer_header_is_ignored_or_a_wait_of_at_most_60s(@ForAll("preferLike") String prefer) {
    Duration wait = TaskRoutes.preferWait(prefer);
    if (wait != null) assertThat(wait).isBetween(Duration.ZERO, TaskRoutes.MAX_WAIT);
  }

  @Property(tries = 200)
  void a_wait_in_seconds_is_taken_up_to_60s(@ForAll @LongRange(max = 999_999_999) long seconds) {
    assertThat(TaskRoutes.preferWait("respond-async, wait=" + seconds))
        .isEqualTo(Duration.ofSeconds(Math.min(seconds, TaskRoutes.MAX_WAIT.toSeconds())));
  }

  @Provide
  Arbitrary<String> preferLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings()
            .withChars("wait=0123456789 ,;-+.eE\"")
            .ofMaxLength(40)
            .map(rest -> "wait=" + rest));
  }
}
