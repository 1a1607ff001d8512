package dev.opticalmemory.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The optical memory's settings under {@code optical-memory} in {@code application.yml}. Each is
 * checked at start-up; a bad one stops the application with a line that names it.
 */
@ConfigurationProperties(prefix = "optical-memory")
public class OpticalMemoryProperties {
  /**
   * The database: a file path for an embedded H2 memory (created if missing), or a
   * jdbc:postgresql:// URL without a password (give it in optical-memory.password). Unset: the
   * application's DataSource, which must be PostgreSQL.
   */
  private String db;

  /** The password of a PostgreSQL optical-memory.db URL. */
  private String password;

  /** The most tokens a request spends on the prompt and the memory, counted for the reader. */
  private int budget = 8000;

  /**
   * The reader whose token prices the budget counts: deepseek-ocr, openai, anthropic, gemini,
   * qwen-vl, or another name the memory knows.
   */
  private String reader = "deepseek-ocr";

  /** The newest turns kept as text before any page, where they fit. */
  private int recentTurnsFloor = 4;

  /**
   * Whether this application renders, ages and decodes pages in the background; false leaves it to
   * separate worker processes on a shared PostgreSQL memory.
   */
  private boolean backgroundWork = true;

  /** How recall finds passages: lexical, dense or hybrid. */
  private String retrieval = "lexical";

  /** Passages one recall returns, 1 to 20. */
  private int recallK = 3;

  /** Health is DOWN when work has waited this long without the backlog going down. */
  private Duration maxBacklogAge = Duration.ofMinutes(15);

  public String getDb() {
    return db;
  }

  public void setDb(String db) {
    this.db = db;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public int getBudget() {
    return budget;
  }

  public void setBudget(int budget) {
    this.budget = budget;
  }

  public String getReader() {
    return reader;
  }

  public void setReader(String reader) {
    this.reader = reader;
  }

  public int getRecentTurnsFloor() {
    return recentTurnsFloor;
  }

  public void setRecentTurnsFloor(int recentTurnsFloor) {
    this.recentTurnsFloor = recentTurnsFloor;
  }

  public boolean isBackgroundWork() {
    return backgroundWork;
  }

  public void setBackgroundWork(boolean backgroundWork) {
    this.backgroundWork = backgroundWork;
  }

  public String getRetrieval() {
    return retrieval;
  }

  public void setRetrieval(String retrieval) {
    this.retrieval = retrieval;
  }

  public int getRecallK() {
    return recallK;
  }

  public void setRecallK(int recallK) {
    this.recallK = recallK;
  }

  public Duration getMaxBacklogAge() {
    return maxBacklogAge;
  }

  public void setMaxBacklogAge(Duration maxBacklogAge) {
    this.maxBacklogAge = maxBacklogAge;
  }
}
