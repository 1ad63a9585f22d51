package dev.offload.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadProbeTest {
  @Test
  void p99_of_twenty_calls_is_the_slowest_and_of_two_hundred_the_third_slowest() {
    double[] twenty = IntStream.rangeClosed(1, 20).mapToDouble(i -> i).toArray();
    double[] twoHundred = IntStream.rangeClosed(1, 200).mapToDouble(i -> 201 - i).toArray();

    assertThat(ReadProbe.p99(twenty)).isEqualTo(20);
    assertThat(ReadProbe.p99(twoHundred)).isEqualTo(198);
  }

  @Test
  void each_endpoint_is_compared_with_its_own_baseline_and_says_how_many_calls_it_had() {
    Map<String, double[]> measured = new LinkedHashMap<>();
    measured.put("GET /v1/queues", new double[] {3, 9, 4});
    measured.put("GET /metrics", new double[] {50});
    measured.put("GET /v1/tasks?queue=&cursor=", new double[0]);
    Map<String, double[]> empty =
        Map.of(
            "GET /v1/queues",
            new double[] {2, 3},
            "GET /v1/tasks?queue=&cursor=",
            new double[] {1});

    List<Figure> figures =
        ReadProbe.figures("w5", "sqlite", "1,000 paused", measured, empty, "ms empty");

    assertThat(figures)
        .extracting(Figure::name)
        .containsExactly(
            "GET /v1/queues p99 of 3, 1,000 paused", "GET /metrics p99 of 1, 1,000 paused");
    assertThat(figures.get(0).value()).isEqualTo(9);
    assertThat(figures.get(0).ratio()).isEqualTo(3);
    assertThat(figures.get(1).baseline()).as("no calls on the empty store: no baseline").isNull();
  }
}
