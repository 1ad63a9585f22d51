package dev.offload.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.offload.net.TargetGuard;
import dev.offload.schedule.CatchUp;
import dev.offload.schedule.Overlap;
import dev.offload.schedule.ScheduleDefinition;
import dev.offload.server.api.ScheduleRequestParser;
import dev.offload.server.api.TaskRequestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleFileTest {
  private static final ScheduleRequestParser PARSER =
      new ScheduleRequestParser(new TaskRequestParser(1 << 20, TargetGuard.off()));
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private List<ScheduleDefinition> read(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return ScheduleFile.read(file, PARSER, NOW);
  }

  @Test
  void a_yaml_map_from_name_to_schedule_is_read_like_put_bodies() throws IOException {
    List<ScheduleDefinition> schedules =
        read(
            "schedules.yaml",
            """
        nightly-export:
          cron: "0 3 * * *"
          timezone: Europe/Berlin
          overlap: skip
          task:
            callbackUrl: https://app.example.com/jobs/export
            payload: {format: csv, rows: 1000}
            retries: 5
        hourly-sync:
          cron: "@hourly"
          catchUp: none
          task:
            callbackUrl: https://app.example.com/jobs/sync
        """);

    assertThat(schedules)
        .extracting(ScheduleDefinition::name)
        .containsExactly("nightly-export", "hourly-sync");
    ScheduleDefinition nightly = schedules.getFirst();
    assertThat(nightly.timezone().getId()).isEqualTo("Europe/Berlin");
    assertThat(nightly.overlap()).isEqualTo(Overlap.SKIP);
    assertThat(nightly.task().body()).isEqualTo("{\"format\":\"csv\",\"rows\":1000}");
    assertThat(nightly.task().retries()).isEqualTo(5);
    assertThat(schedules.get(1).catchUp()).isEqualTo(CatchUp.NONE);
  }

  @Test
  void a_json_list_of_named_schedules_is_read_too() throws IOException {
    List<ScheduleDefinition> schedules =
        read(
            "schedules.json",
            """
        [{"name": "pulse", "cron": "@every 30s", "paused": true, "task": {"callbackUrl": "http://127.0.0.1:9000/pulse"}}]
        """);
    assertThat(schedules)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo("pulse");
              assertThat(s.paused()).isTrue();
            });
  }

  @Test
  void every_problem_of_the_file_is_named_before_the_server_starts() {
    assertThatThrownBy(
            () ->
                read(
                    "bad.yaml",
                    """
        - name: a
          cron: "61 * * * *"
          task: {callbackUrl: https://x.example}
        - name: a
          cron: "@daily"
          timezone: Europe/Nowhere
          task: {callbackUrl: https://x.example, delay: 5s}
        - cron: "@daily"
          task: {callbackUrl: https://x.example}
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0].cron: is not a 5-field Unix cron")
        .hasMessageContaining("[1].timezone: unknown time zone \"Europe/Nowhere\"")
        .hasMessageContaining("[1].task.delay: cannot be set")
        .hasMessageContaining("[2].name: must be 1 to 128");
    assertThatThrownBy(
            () ->
                read(
                    "twice.yaml",
                    """
        - {name: a, cron: "@daily", task: {callbackUrl: "https://x.example"}}
        - {name: a, cron: "@hourly", task: {callbackUrl: "https://x.example"}}
        """))
        .hasMessageContaining("[1].name: \"a\" is declared twice");
    assertThatThrownBy(() -> read("unquoted.yaml", "a:\n  cron: @daily\n"))
        .hasMessageContaining("is not valid YAML");
    assertThatThrownBy(() -> read("scalar.yaml", "just text"))
        .hasMessageContaining("must be a list of schedules");
  }
}
