package dev.opticalmemory.spring.boot;

import dev.opticalmemory.memory.OpticalMemory;
import dev.opticalmemory.memory.OpticalMemoryBuilder;
import dev.opticalmemory.memory.Retrieval;
import dev.opticalmemory.memory.context.VisionReader;
import dev.opticalmemory.memory.metrics.MemoryMetrics;
import dev.opticalmemory.memory.springai.OpticalMemoryAdvisor;
import dev.opticalmemory.memory.springai.OpticalMemoryTools;
import dev.opticalmemory.memory.springai.OpticalSpringChatMemory;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures the optical memory from {@code optical-memory.*}: the {@link OpticalMemory} (closed on
 * shutdown), the Spring AI chat memory, advisor and tools, each unless the application defines its
 * own; Actuator health where Actuator is present, and Micrometer meters where a {@link
 * MeterRegistry} is.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@EnableConfigurationProperties(OpticalMemoryProperties.class)
public class OpticalMemoryAutoConfiguration {
  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("(?i)([?&;]password=|://[^/@]*:[^/@]*@)");

  /**
   * The memory.
   *
   * @param properties the settings
   * @param dataSource the application's data source, used when optical-memory.db is unset
   * @param registry where meters go, if the application has Micrometer
   * @return the memory, timed where there is a registry
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public OpticalMemory opticalMemory(OpticalMemoryProperties properties,
      ObjectProvider<DataSource> dataSource, ObjectProvider<MeterRegistry> registry) {
    OpticalMemoryBuilder builder = OpticalMemory.builder()
        .backgroundWork(properties.isBackgroundWork())
        .retrieval(retrieval(properties.getRetrieval()));
    String db = properties.getDb();
    String where;
    if (db == null || db.isBlank()) {
      DataSource ds = dataSource.getIfAvailable();
      if (ds == null) {
        throw new InvalidConfigurationPropertyValueException("optical-memory.db", db,
            "set it to a file path (an embedded H2 memory) or a jdbc:postgresql:// URL, or give"
            + " the application a PostgreSQL DataSource");
      }
      builder.dataSource(ds);
      where = "the application's DataSource";
    } else if (db.startsWith("jdbc:")) {
      if (PASSWORD_IN_URL.matcher(db).find()) {
        throw new InvalidConfigurationPropertyValueException("optical-memory.db", "(not shown)",
            "the URL holds a password; give it in optical-memory.password instead, so that it"
            + " never shows in a message");
      }
      if (!db.startsWith("jdbc:postgresql:")) {
        throw new InvalidConfigurationPropertyValueException("optical-memory.db", db,
            "a JDBC URL must be jdbc:postgresql://HOST[:PORT]/DATABASE; for H2 give a file path");
      }
      try {
        builder.jdbcUrl(db);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException("optical-memory.db", db,
            e.getMessage());
      }
      if (properties.getPassword() != null) {
        builder.password(properties.getPassword());
      }
      where = db;
    } else {
      try {
        builder.path(Path.of(db));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException("optical-memory.db", db,
            e.getMessage());
      }
      where = db;
    }
    OpticalMemory memory;
    try {
      memory = builder.build();
    } catch (RuntimeException e) {
      throw new IllegalStateException("optical-memory.db: the memory at " + where + " cannot be"
          + " opened: " + e.getMessage(), e);
    }
    MeterRegistry meters = registry.getIfAvailable();
    return meters == null ? memory : MemoryMetrics.instrument(memory, meters);
  }

  /**
   * The Spring AI chat memory.
   *
   * @param memory the memory
   * @param properties the settings
   * @param registry where the context timer goes, if the application has Micrometer
   * @return the chat memory
   */
  @Bean
  @ConditionalOnMissingBean
  public OpticalSpringChatMemory opticalChatMemory(OpticalMemory memory,
      OpticalMemoryProperties properties, ObjectProvider<MeterRegistry> registry) {
    OpticalSpringChatMemory.Builder b = OpticalSpringChatMemory.builder(memory)
        .reader(reader(properties.getReader()));
    try {
      b.budget(properties.getBudget());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("optical-memory.budget",
          properties.getBudget(), e.getMessage());
    }
    try {
      b.recentTurnsFloor(properties.getRecentTurnsFloor());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("optical-memory.recent-turns-floor",
          properties.getRecentTurnsFloor(), e.getMessage());
    }
    MeterRegistry meters = registry.getIfAvailable();
    if (meters != null) {
      b.meterRegistry(meters);
    }
    return b.build();
  }

  /**
   * The advisor for a {@code ChatClient}.
   *
   * @param chatMemory the chat memory
   * @return the advisor
   */
  @Bean
  @ConditionalOnMissingBean
  public OpticalMemoryAdvisor opticalMemoryAdvisor(OpticalSpringChatMemory chatMemory) {
    return OpticalMemoryAdvisor.builder(chatMemory).build();
  }

  /**
   * The recall, read and remember tools.
   *
   * @param chatMemory the chat memory
   * @param properties the settings
   * @return the tools
   */
  @Bean
  @ConditionalOnMissingBean
  public OpticalMemoryTools opticalMemoryTools(OpticalSpringChatMemory chatMemory,
      OpticalMemoryProperties properties) {
    try {
      return new OpticalMemoryTools(chatMemory, properties.getRecallK());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("optical-memory.recall-k",
          properties.getRecallK(), e.getMessage());
    }
  }

  static VisionReader reader(String name) {
    try {
      return VisionReader.named(name);
    } catch (RuntimeException e) {
      throw new InvalidConfigurationPropertyValueException("optical-memory.reader", name,
          "must be one of " + String.join(", ", VisionReader.NAMES));
    }
  }

  static Retrieval retrieval(String name) {
    try {
      return Retrieval.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new InvalidConfigurationPropertyValueException("optical-memory.retrieval", name,
          "must be lexical, dense or hybrid");
    }
  }

  /** Health, where Actuator's health is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "opticalMemoryHealthIndicator")
    OpticalMemoryHealthIndicator opticalMemoryHealthIndicator(OpticalMemory memory,
        OpticalMemoryProperties properties) {
      if (properties.getMaxBacklogAge() == null || properties.getMaxBacklogAge().isNegative()
          || properties.getMaxBacklogAge().isZero()) {
        throw new InvalidConfigurationPropertyValueException("optical-memory.max-backlog-age",
            properties.getMaxBacklogAge(), "must be a positive duration");
      }
      return new OpticalMemoryHealthIndicator(memory, properties.getMaxBacklogAge(),
          properties.isBackgroundWork(), Clock.systemUTC());
    }
  }
}
