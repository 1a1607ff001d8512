package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.renderer.FontSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpticalMemoryBuilderTest {
  @TempDir
  Path dir;

  @Test
  void a_password_with_an_h2_file_is_refused_naming_both_settings() {
    assertThatThrownBy(() -> OpticalMemory.builder().path(dir.resolve("m")).password("pw").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password(...) is only for a jdbc:postgresql: URL, but the store is path("
            + dir.resolve("m") + ")");
  }

  @Test
  void a_pool_size_with_an_in_memory_database_is_refused_naming_both_settings() {
    assertThatThrownBy(() -> OpticalMemory.builder().jdbcUrl("jdbc:h2:mem:pool").maxConnections(4)
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnections(4) is only for a jdbc:postgresql: URL, but the store is"
            + " jdbcUrl(jdbc:h2:mem:pool)");
  }

  @Test
  void a_pool_size_or_password_with_the_applications_pool_is_refused() {
    javax.sql.DataSource pool = new org.h2.jdbcx.JdbcDataSource();
    assertThatThrownBy(() -> OpticalMemory.builder().dataSource(pool).maxConnections(4).build())
        .hasMessage("maxConnections(4) is only for a jdbc:postgresql: URL, but the store is"
            + " dataSource(...) (size the application's pool instead)");
    assertThatThrownBy(() -> OpticalMemory.builder().dataSource(pool).password("pw").build())
        .hasMessage("password(...) is only for a jdbc:postgresql: URL, but the store is"
            + " dataSource(...) (its pool has its own)");
  }

  @Test
  void a_lease_with_an_h2_file_is_refused_because_one_process_holds_the_file() {
    assertThatThrownBy(() -> OpticalMemory.builder().path(dir.resolve("m"))
        .lease(Duration.ofSeconds(5)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lease(PT5S) is for a store that processes share (PostgreSQL), but the store"
            + " is path(" + dir.resolve("m") + "), which one process holds");
    assertThatThrownBy(() -> OpticalMemory.builder().jdbcUrl("jdbc:h2:mem:lease")
        .lease(Duration.ofSeconds(5)).build())
        .hasMessage("lease(PT5S) is for a store that processes share (PostgreSQL), but the store"
            + " is jdbcUrl(jdbc:h2:mem:lease), which one process holds");
  }

  @Test
  void a_builder_changed_after_build_leaves_the_built_memory_as_it_was() {
    OpticalMemoryBuilder builder = OpticalMemory.builder().path(dir.resolve("m"))
        .fonts(FontSet.latinOnly()).maxTurnChars(50);
    try (OpticalMemory memory = builder.build()) {
      builder.maxTurnChars(1000);
      assertThatThrownBy(() -> memory.append("c", MemoryTurn.user("Ann", "x".repeat(60))))
          .hasMessageContaining("more than maxTurnChars = 50");
    }
  }

  @Test
  void the_settings_are_checked_and_frozen_when_built() {
    Settings settings = OpticalMemory.builder().jdbcUrl("jdbc:postgresql://db.example/m?user=a")
        .password("secret").maxConnections(3).settings();
    assertThat(settings.store()).isEqualTo(new Settings.StoreSettings.PostgresUrl(
        "jdbc:postgresql://db.example/m?user=a", "secret", 3));
    assertThat(settings.store().toString()).doesNotContain("secret");
    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.encodings()).hasSize(4);
    assertThatThrownBy(() -> settings.listeners().add(t -> { }))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void listeners_of_the_builder_and_those_subscribed_later_all_hear_each_transition() {
    List<String> heard = new CopyOnWriteArrayList<>();
    TransitionListener failing = t -> {
      throw new IllegalStateException("a listener's own bug");
    };
    try (OpticalMemory memory = OpticalMemory.builder().path(dir.resolve("m"))
        .fonts(FontSet.latinOnly()).listener(t -> heard.add("first " + t.to()))
        .listener(failing).build()) {
      TransitionListener later = t -> heard.add("later " + t.to());
      memory.operations().subscribe(later);
      List<MemoryTurn> turns = new ArrayList<>(Conversations.harbour(200, 3));
      turns.forEach(t -> memory.append("c", t));
      assertThat(memory.operations().awaitIdle(Duration.ofSeconds(60))).isTrue();
      long segment = memory.segments("c").get(0).id();
      memory.operations().demote("c", segment, Tier.SMALL, Transition.Cause.EXPLICIT);
      assertThat(heard).contains("first SMALL", "later SMALL");
      assertThat(memory.operations().unsubscribe(later)).isTrue();
      assertThat(memory.operations().unsubscribe(later)).isFalse();
      heard.clear();
      memory.operations().demote("c", segment, Tier.TINY, Transition.Cause.EXPLICIT);
      assertThat(heard).containsExactly("first TINY");
    }
  }

  @Test
  void the_operations_view_is_one_object_that_lives_with_its_memory() {
    OpticalMemory memory = OpticalMemory.builder().path(dir.resolve("m"))
        .fonts(FontSet.latinOnly()).build();
    MemoryOperations operations = memory.operations();
    assertThat(memory.operations()).isSameAs(operations);
    memory.append("c", MemoryTurn.user("Ann", "The ferry leaves at nine."));
    assertThat(operations.contains("c")).isTrue();
    memory.close();
    assertThatThrownBy(() -> operations.segment("c", 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void a_recall_request_checks_each_setting_and_each_setting_makes_a_new_request() {
    RecallRequest base = RecallRequest.of("ferry");
    RecallRequest three = base.k(3).leaveOut(Set.of(4)).retrieval(Retrieval.HYBRID);
    assertThat(base.k()).isEqualTo(RecallRequest.DEFAULT_K);
    assertThat(base.retrieval()).isEmpty();
    assertThat(three.k()).isEqualTo(3);
    assertThat(three.leaveOut()).containsExactly(4);
    assertThat(three.retrieval()).contains(Retrieval.HYBRID);
    assertThat(three).isEqualTo(RecallRequest.of("ferry").retrieval(Retrieval.HYBRID)
        .leaveOut(Set.of(4)).k(3));
    assertThatThrownBy(() -> RecallRequest.of(" ")).hasMessage("query must not be blank, but is:"
        + " ' '");
    assertThatThrownBy(() -> RecallRequest.of(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("query");
    assertThatThrownBy(() -> base.k(101)).hasMessage("k must be between 1 and 100, but is: 101");
    assertThatThrownBy(() -> base.leaveOut(null)).isInstanceOf(NullPointerException.class);
  }
}
