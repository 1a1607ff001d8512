package dev.opticalmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opticalmemory.memory.AgingPolicy;
import dev.opticalmemory.memory.Conversations;
import dev.opticalmemory.memory.MemoryTurn;
import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.renderer.FontSet;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

class HealthIndicatorTest {
  @TempDir Path tmp;

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void work_that_waits_past_the_age_without_going_down_is_stuck_and_health_is_up_again_once_it_goes_down() {
    MovingClock clock = new MovingClock();
    try (OpticalMemory memory = OpticalMemory.builder().path(tmp.resolve("m"))
        .fonts(FontSet.latinOnly()).backgroundWork(false).decodeInBackground(false)
        .agingPolicy(AgingPolicy.byTokens(1_000, 2_500, 4_000, 6_000, 8_000)).build()) {
      for (MemoryTurn turn : Conversations.harbour(120, 7)) {
        memory.append("c", turn);
      }
      OpticalMemoryHealthIndicator health = new OpticalMemoryHealthIndicator(memory,
          Duration.ofMinutes(15), true, clock);
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
      clock.now = clock.now.plus(Duration.ofMinutes(16));
      var stuck = health.health();
      assertThat(stuck.getStatus()).isEqualTo(Status.DOWN);
      assertThat(String.valueOf(stuck.getDetails().get("reason"))).contains("stuck")
          .contains("optical-memory.max-backlog-age");
      memory.forget("c");
      clock.now = clock.now.plus(Duration.ofMinutes(1));
      assertThat(health.health().getStatus()).as("the backlog went down").isEqualTo(Status.UP);
      for (MemoryTurn turn : Conversations.harbour(120, 7)) {
        memory.append("c", turn);
      }
      OpticalMemoryHealthIndicator workers = new OpticalMemoryHealthIndicator(memory,
          Duration.ofMinutes(15), false, clock);
      clock.now = clock.now.plus(Duration.ofMinutes(16));
      assertThat(workers.health().getStatus()).as("the backlog is the workers' to report")
          .isEqualTo(Status.UP);
    }
  }

  @Test
  void the_starter_ships_metadata_for_every_property_so_ides_complete_them() throws Exception {
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      JsonNode metadata = new ObjectMapper().readTree(in);
      List<String> names = new ArrayList<>();
      metadata.path("properties").forEach(p -> {
        names.add(p.path("name").asText());
        assertThat(p.path("description").asText()).as(p.toString()).isNotBlank();
      });
      assertThat(names).contains("optical-memory.db", "optical-memory.budget",
          "optical-memory.reader", "optical-memory.background-work", "optical-memory.retrieval",
          "optical-memory.max-backlog-age");
    }
  }
}
