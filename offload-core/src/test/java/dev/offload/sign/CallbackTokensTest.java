package dev.offload.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.TaskId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallbackTokensTest {
  private final CallbackTokens tokens =
      new CallbackTokens("a key of thirty-two bytes, or so".getBytes(StandardCharsets.UTF_8));
  private final TaskId id = TaskId.generate();

  @Test
  void a_token_reads_back_as_its_task_and_call() {
    assertThat(tokens.read(tokens.tokenFor(id, 7))).contains(new CallbackTokens.Ref(id, 7));
  }

  @Test
  void each_call_has_its_own_token_and_none_can_be_made_from_another() {
    String token = tokens.tokenFor(id, 1);
    String mac = token.substring(token.lastIndexOf('.') + 1);

    assertThat(tokens.tokenFor(id, 2)).isNotEqualTo(token);
    assertThat(tokens.read(id.value() + ".2." + mac)).isEmpty();
    assertThat(tokens.read(TaskId.generate().value() + ".1." + mac)).isEmpty();
  }

  @Test
  void tokens_of_another_key_or_another_shape_are_unknown() {
    CallbackTokens other =
        new CallbackTokens("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8));

    assertThat(tokens.read(other.tokenFor(id, 0))).isEmpty();
    assertThat(tokens.read("nonsense")).isEmpty();
    assertThat(tokens.read("a.b.c")).isEmpty();
    assertThat(tokens.read(id.value() + ".99999999999.x")).isEmpty();
    assertThat(tokens.read(null)).isEmpty();
  }
}
