package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.MemoryException;

/** The budget cannot hold even the newest turns the floor keeps. */
public final class ContextBudgetException extends MemoryException {
  /** The budget asked for. */
  private final int budget;
  /** What the turns under the floor cost. */
  private final int floorTokens;

  /**
   * A budget too small for the floor.
   *
   * @param message the budget and what the floor costs
   * @param budget the budget asked for
   * @param floorTokens what the turns under the floor cost
   */
  public ContextBudgetException(String message, int budget, int floorTokens) {
    super(message);
    this.budget = budget;
    this.floorTokens = floorTokens;
  }

  /**
   * The budget asked for.
   *
   * @return tokens
   */
  public int budget() {
    return budget;
  }

  /**
   * What the turns under the floor cost.
   *
   * @return tokens
   */
  public int floorTokens() {
    return floorTokens;
  }
}
