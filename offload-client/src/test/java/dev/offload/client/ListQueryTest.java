package dev.offload.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListQueryTest {

  @Test
  void writes_only_the_filters_given_and_encodes_them() {
    assertThat(ListQuery.all().toQueryString()).isEmpty();
    ListQuery query = ListQuery.builder().queue("a b&c").status(TaskStatus.FAILED).limit(5).build();
    assertThat(query.toQueryString()).isEqualTo("?queue=a+b%26c&status=failed&limit=5");
    assertThat(query.after(new TaskPage(List.of(), "tsk_9")).toQueryString())
        .endsWith("&cursor=tsk_9");
  }
}
