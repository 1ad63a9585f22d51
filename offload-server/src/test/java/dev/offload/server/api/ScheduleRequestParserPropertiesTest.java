package dev.offload.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.offload.net.TargetGuard;
import dev.offload.schedule.ScheduleDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ScheduleRequestParser} on arbitrary JSON and names: a schedule or the parser's own
 * refusal, nothing else.
 */
class ScheduleRequestParserPropertiesTest {
  private static final List<String> KEYS =
      List.of(
          "cron",
          "timezone",
          "task",
          "paused",
          "overlap",
          "catchUp",
          "callbackUrl",
          "delay",
          "idempotencyKey",
          "payload",
          "retries",
          "queue");
  private final ScheduleRequestParser parser =
      new ScheduleRequestParser(new TaskRequestParser(64 * 1024, TargetGuard.off()));

  @Property(tries = 1_000)
  void any_json_tree_and_name_is_a_schedule_or_a_refusal(
      @ForAll("trees") JsonNode json, @ForAll("names") String name) {
    List<FieldError> errors = new ArrayList<>();
    ScheduleDefinition schedule;
    try {
      schedule =
          parser.parse(
              name,
              json,
              "",
              ScheduleRequestParser.FIELDS,
              errors,
              Instant.parse("2026-06-01T00:00:00Z"));
    } catch (ApiException refused) {
      assertThat(refused.status()).isBetween(400, 499);
      return;
    }
    if (schedule == null) assertThat(errors).isNotEmpty();
    else assertThat(errors).isEmpty();
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return JsonTrees.trees(KEYS, 4);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.of("nightly", "a.b_c-d", ".x", "", "x".repeat(129)),
        Arbitraries.strings().ofMaxLength(20));
  }
}
