package dev.opticalmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.PostgresDatabase;
import dev.opticalmemory.memory.TcpProxy;
import dev.opticalmemory.memory.springai.OpticalSpringChatMemory;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** What fails at start-up, and what operations see: health and meters, on H2 and PostgreSQL. */
class StartupAndOperationsTest {
  @TempDir Path tmp;
  private StandInOpenAi llm;
  private final PostgresDatabase pg = new PostgresDatabase();

  @BeforeEach
  void start() throws Exception {
    llm = new StandInOpenAi();
  }

  @AfterEach
  void stop() {
    llm.close();
    pg.dropAll();
  }

  /** The message of every cause, so that the line naming the property is found wherever it is. */
  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  @Test
  void a_budget_of_zero_stops_the_start_naming_the_property() {
    assertThatThrownBy(() -> StarterTest.run(llm, "--optical-memory.db=" + tmp.resolve("m"),
        "--optical-memory.budget=0"))
        .satisfies(e -> assertThat(messages(e)).contains("optical-memory.budget")
            .contains("between 1 and"));
  }

  @Test
  void an_unknown_reader_stops_the_start_naming_the_property_and_the_known_readers() {
    assertThatThrownBy(() -> StarterTest.run(llm, "--optical-memory.db=" + tmp.resolve("m"),
        "--optical-memory.reader=gpt-17"))
        .satisfies(e -> assertThat(messages(e)).contains("optical-memory.reader")
            .contains("gpt-17").contains("deepseek-ocr"));
  }

  @Test
  void a_url_with_a_password_stops_the_start_without_showing_it() {
    assertThatThrownBy(() -> StarterTest.run(llm,
        "--optical-memory.db=jdbc:postgresql://127.0.0.1:5432/x?user=u&password=hunter2"))
        .satisfies(e -> assertThat(messages(e)).contains("optical-memory.db")
            .contains("optical-memory.password").doesNotContain("hunter2"));
  }

  @Test
  void an_unknown_retrieval_stops_the_start_naming_the_property() {
    assertThatThrownBy(() -> StarterTest.run(llm, "--optical-memory.db=" + tmp.resolve("m"),
        "--optical-memory.retrieval=psychic"))
        .satisfies(e -> assertThat(messages(e)).contains("optical-memory.retrieval")
            .contains("psychic"));
  }

  @Test
  void no_database_and_no_data_source_stops_the_start_naming_the_property() {
    assertThatThrownBy(() -> StarterTest.run(llm))
        .satisfies(e -> assertThat(messages(e)).contains("optical-memory.db"));
  }

  @Test
  void a_database_that_cannot_be_reached_at_start_stops_it_naming_the_property() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(() -> StarterTest.run(llm, "--optical-memory.db=jdbc:postgresql://127.0.0.1:"
        + closedPort + "/nothing?user=u"))
        .satisfies(e -> assertThat(messages(e)).contains("optical-memory.db")
            .contains("cannot be opened"));
  }

  @Test
  void an_applications_own_bean_is_kept_and_the_starters_other_beans_use_it() {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "--spring.ai.openai.api-key=test-key", "--spring.ai.openai.base-url=" + llm.baseUrl(),
        "--spring.main.banner-mode=off", "--logging.level.root=warn",
        "--optical-memory.db=" + tmp.resolve("m")));
    try (ConfigurableApplicationContext app = new org.springframework.boot.builder
        .SpringApplicationBuilder(ChatApplication.class)
        .initializers((org.springframework.context.support.GenericApplicationContext c) ->
            c.registerBean("ownChatMemory", OpticalSpringChatMemory.class,
                () -> OpticalSpringChatMemory.builder(c.getBean(OpticalMemory.class)).budget(1234)
                    .build()))
        .web(org.springframework.boot.WebApplicationType.NONE).run(args.toArray(String[]::new))) {
      assertThat(app.getBeansOfType(OpticalSpringChatMemory.class)).hasSize(1);
      assertThat(app.getBean(OpticalSpringChatMemory.class).budget()).isEqualTo(1234);
      assertThat(app.getBean(dev.opticalmemory.memory.springai.OpticalMemoryAdvisor.class)
          .chatMemory().budget()).isEqualTo(1234);
    }
  }

  @Test
  void the_meters_move_as_the_chat_goes_on_and_health_reports_the_backlog() {
    try (ConfigurableApplicationContext app = StarterTest.run(llm,
        "--optical-memory.db=" + tmp.resolve("m"))) {
      StarterTest.fill(app.getBean(OpticalSpringChatMemory.class), "c");
      app.getBean(ChatClient.class).prompt().user("Hello again")
          .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c")).call().content();
      MeterRegistry meters = app.getBean(MeterRegistry.class);
      assertThat(meters.get("optical.memory.append").tag("result", "ok").timer().count())
          .isEqualTo(302);
      assertThat(meters.get("optical.memory.context").timer().count()).isEqualTo(1);
      assertThat(app.getBean(OpticalMemory.class).operations().awaitIdle(Duration.ofMinutes(3)))
          .isTrue();
      var health = app.getBean("opticalMemoryHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("conversations", 1)
          .containsEntry("waiting", 0);
    }
  }

  @Test
  void on_the_applications_postgresql_data_source_health_goes_down_with_the_database_and_up_again()
      throws Exception {
    URI pgUri = URI.create(pg.freshSchema().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(pgUri.getHost(), pgUri.getPort() < 0 ? 5432
        : pgUri.getPort())) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + pgUri.getRawPath() + "?"
          + pgUri.getRawQuery();
      String[] props = {"--spring.datasource.url=" + url,
          "--spring.datasource.password=" + PostgresDatabase.password(),
          "--spring.datasource.hikari.connection-timeout=1000",
          "--spring.datasource.hikari.validation-timeout=500"};
      try (ConfigurableApplicationContext app = StarterTest.run(llm, props)) {
        OpticalSpringChatMemory chat = app.getBean(OpticalSpringChatMemory.class);
        StarterTest.fill(chat, "c");
        // Pages are drawn in the background: on a loaded machine none may be ready yet.
        assertThat(app.getBean(OpticalMemory.class).operations().awaitIdle(Duration.ofMinutes(3)))
            .isTrue();
        String answer = app.getBean(ChatClient.class).prompt().user("What is my locker code?")
            .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c")).call().content();
        assertThat(answer).contains("4417");
        assertThat(llm.requests.get(0).images()).isPositive();
        HealthIndicator health = app.getBean("opticalMemoryHealthIndicator",
            HealthIndicator.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        proxy.cut();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        proxy.restore();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Status now = health.health().getStatus();
        while (now != Status.UP && System.nanoTime() < until) {
          Thread.sleep(200);
          now = health.health().getStatus();
        }
        assertThat(now).isEqualTo(Status.UP);
      }
      try (ConfigurableApplicationContext again = StarterTest.run(llm, props)) {
        assertThat(again.getBean(OpticalMemory.class).stats("c").turns()).isEqualTo(302);
      }
    }
  }
}
