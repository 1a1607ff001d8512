package dev.opticalmemory.memory.context;

import dev.opticalmemory.memory.MemoryException;

/** The budget cannot hold even the newest turns the floor keeps. */
public final class ContextBudgetException extends MemoryException {
  private final int budget;
  private final int floorTokens;

  public ContextBudgetException(String message, int budget, int floorTokens) {
    super(message);
    this.budget = budget;
    this.floorTokens = floorTokens;
  }

  public int budget() {
    return budget;
  }

  /** What the turns under the floor cost. */
  public int floorTokens() {
    return floorTokens;
  }
}
