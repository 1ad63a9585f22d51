package dev.offload.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What the store keeps for itself: a setting keeps the first value stored; and it answers while
 * open.
 */
abstract class SettingContract extends StoreContract {
  @Test
  void a_setting_keeps_its_first_value_forever() {
    assertThat(store.settings().read("task_token_key", "first")).isEqualTo("first");
    assertThat(store.settings().read("task_token_key", "second")).isEqualTo("first");
    assertThat(store.settings().read("other", "x")).isEqualTo("x");
  }

  @Test
  void is_reachable_while_open() {
    assertThat(store.isReachable()).isTrue();
  }
}
