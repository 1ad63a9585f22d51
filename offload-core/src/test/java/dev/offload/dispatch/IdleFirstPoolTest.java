package dev.offload.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.util.Pool;
import org.junit.jupiter.api.Test;

class IdleFirstPoolTest {
  private final IdleFirstPool<String> pool = new IdleFirstPool<>(2);

  @Test
  void reserves_up_to_the_maximum() {
    assertThat(pool.reserve()).isNotNull();
    assertThat(pool.reserve()).isNotNull();
    assertThat(pool.reserve()).isNull();
    assertThat(pool.size()).isEqualTo(2);
  }

  @Test
  void hands_out_an_idle_entry_once_and_again_after_its_release() {
    Pool.Entry<String> entry = pool.reserve();
    assertThat(entry.enable("a", false)).isTrue();
    assertThat(entry.isIdle()).isTrue();

    Pool.Entry<String> taken = pool.acquire();
    assertThat(taken).isSameAs(entry);
    assertThat(taken.isInUse()).isTrue();
    assertThat(pool.acquire()).isNull();

    assertThat(taken.release()).isTrue();
    assertThat(taken.release()).isFalse();
    assertThat(pool.acquire()).isSameAs(entry);
  }

  @Test
  void an_entry_enabled_in_use_is_not_handed_out_until_released() {
    Pool.Entry<String> entry = pool.reserve();
    assertThat(entry.enable("a", true)).isTrue();
    assertThat(pool.acquire()).isNull();
    entry.release();
    assertThat(pool.acquire()).isSameAs(entry);
  }

  @Test
  void the_entry_released_last_is_handed_out_first() {
    Pool.Entry<String> first = pool.reserve();
    Pool.Entry<String> second = pool.reserve();
    first.enable("a", true);
    second.enable("b", true);
    first.release();
    second.release();
    assertThat(pool.acquire()).isSameAs(second);
    assertThat(pool.acquire()).isSameAs(first);
  }

  @Test
  void a_removed_entry_leaves_the_pool_once_and_is_never_handed_out() {
    Pool.Entry<String> idle = pool.reserve();
    idle.enable("a", false);
    assertThat(idle.remove()).isTrue();
    assertThat(idle.remove()).isFalse();
    assertThat(idle.isTerminated()).isTrue();
    assertThat(pool.acquire()).isNull();
    assertThat(pool.size()).isZero();

    Pool.Entry<String> inUse = pool.reserve();
    inUse.enable("b", true);
    assertThat(inUse.remove()).isTrue();
    assertThat(inUse.release()).isFalse();
    assertThat(pool.acquire()).isNull();
  }

  @Test
  void terminating_ends_every_entry_and_refuses_new_ones() {
    Pool.Entry<String> idle = pool.reserve();
    idle.enable("a", false);
    Pool.Entry<String> reserved = pool.reserve();

    assertThat(pool.terminate()).containsExactlyInAnyOrder(idle, reserved);
    assertThat(pool.isTerminated()).isTrue();
    assertThat(pool.acquire()).isNull();
    assertThat(pool.reserve()).isNull();
    assertThat(reserved.enable("b", false)).isFalse();
    assertThat(idle.remove()).isTrue();
  }
}
