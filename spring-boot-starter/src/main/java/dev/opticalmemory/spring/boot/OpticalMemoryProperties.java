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

  /**
   * The Db setting.
   *
   * @return its value
   */
  public String getDb() {
    return db;
  }

  /**
   * Sets the db setting.
   *
   * @param db its value
   */
  public void setDb(String db) {
    this.db = db;
  }

  /**
   * The Password setting.
   *
   * @return its value
   */
  public String getPassword() {
    return password;
  }

  /**
   * Sets the password setting.
   *
   * @param password its value
   */
  public void setPassword(String password) {
    this.password = password;
  }

  /**
   * The Budget setting.
   *
   * @return its value
   */
  public int getBudget() {
    return budget;
  }

  /**
   * Sets the budget setting.
   *
   * @param budget its value
   */
  public void setBudget(int budget) {
    this.budget = budget;
  }

  /**
   * The Reader setting.
   *
   * @return its value
   */
  public String getReader() {
    return reader;
  }

  /**
   * Sets the reader setting.
   *
   * @param reader its value
   */
  public void setReader(String reader) {
    this.reader = reader;
  }

  /**
   * The RecentTurnsFloor setting.
   *
   * @return its value
   */
  public int getRecentTurnsFloor() {
    return recentTurnsFloor;
  }

  /**
   * Sets the recentTurnsFloor setting.
   *
   * @param recentTurnsFloor its value
   */
  public void setRecentTurnsFloor(int recentTurnsFloor) {
    this.recentTurnsFloor = recentTurnsFloor;
  }

  /**
   * The BackgroundWork setting.
   *
   * @return its value
   */
  public boolean isBackgroundWork() {
    return backgroundWork;
  }

  /**
   * Sets the backgroundWork setting.
   *
   * @param backgroundWork its value
   */
  public void setBackgroundWork(boolean backgroundWork) {
    this.backgroundWork = backgroundWork;
  }

  /**
   * The Retrieval setting.
   *
   * @return its value
   */
  public String getRetrieval() {
    return retrieval;
  }

  /**
   * Sets the retrieval setting.
   *
   * @param retrieval its value
   */
  public void setRetrieval(String retrieval) {
    this.retrieval = retrieval;
  }

  /**
   * The RecallK setting.
   *
   * @return its value
   */
  public int getRecallK() {
    return recallK;
  }

  /**
   * Sets the recallK setting.
   *
   * @param recallK its value
   */
  public void setRecallK(int recallK) {
    this.recallK = recallK;
  }

  /**
   * The MaxBacklogAge setting.
   *
   * @return its value
   */
  public Duration getMaxBacklogAge() {
    return maxBacklogAge;
  }

  /**
   * Sets the maxBacklogAge setting.
   *
   * @param maxBacklogAge its value
   */
  public void setMaxBacklogAge(Duration maxBacklogAge) {
    this.maxBacklogAge = maxBacklogAge;
  }
}
