package dev.offload.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.offload.task.TaskId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskTokensTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final TaskTokens tokens = new TaskTokens(KEY);
  private final TaskId task = TaskId.generate();
  private final TaskId otherTask = TaskId.generate();

  @Test
  void a_token_is_valid_for_its_own_task() {
    assertThat(tokens.isValid(task, tokens.tokenFor(task))).isTrue();
  }

  @Test
  void a_token_is_invalid_for_another_task() {
    assertThat(tokens.isValid(otherTask, tokens.tokenFor(task))).isFalse();
    assertThat(tokens.tokenFor(otherTask)).isNotEqualTo(tokens.tokenFor(task));
  }

  @Test
  void a_missing_empty_or_altered_token_is_invalid() {
    String token = tokens.tokenFor(task);
    String altered = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);

    assertThat(tokens.isValid(task, null)).isFalse();
    assertThat(tokens.isValid(task, "")).isFalse();
    assertThat(tokens.isValid(task, altered)).isFalse();
    assertThat(tokens.isValid(task, token + "x")).isFalse();
  }

  @Test
  void a_token_made_with_another_key_is_invalid() {
    TaskTokens otherKey =
        new TaskTokens("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    assertThat(tokens.isValid(task, otherKey.tokenFor(task))).isFalse();
  }

  @Test
  void tokens_survive_a_restart_with_the_same_key() {
    assertThat(new TaskTokens(KEY).isValid(task, tokens.tokenFor(task))).isTrue();
  }

  @Test
  void the_key_is_copied_so_later_changes_to_the_array_do_not_matter() {
    byte[] key = KEY.clone();
    TaskTokens tokensOfKey = new TaskTokens(key);
    String before = tokensOfKey.tokenFor(task);

    key[0] ^= 1;

    assertThat(tokensOfKey.tokenFor(task)).isEqualTo(before);
  }

  @Test
  void a_token_is_url_safe_base64_without_padding() {
    assertThat(tokens.tokenFor(task)).matches("[A-Za-z0-9_-]{43}");
  }
}
