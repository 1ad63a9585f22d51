package dev.offload.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BulkRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void the_bar_counts_until_the_server_has_matched_then_fills_with_done_and_failed()
      throws Exception {
    assertThat(BulkRun.progress(JSON.readTree("{\"matched\":null,\"done\":0,\"failed\":0}")))
        .isEqualTo("[" + ".".repeat(30) + "] counting the tasks");
    assertThat(BulkRun.progress(JSON.readTree("{\"matched\":40,\"done\":11,\"failed\":1}")))
        .isEqualTo("[#########" + ".".repeat(21) + "] 12/40  (11 done, 1 failed)");
    assertThat(BulkRun.progress(JSON.readTree("{\"matched\":0,\"done\":0,\"failed\":0}")))
        .isEqualTo("[" + "#".repeat(30) + "] 0/0  (0 done, 0 failed)");
  }
}
