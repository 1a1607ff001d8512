package dev.opticalmemory.renderer;

/**
 * How much of a list of turns fits on one page.
 *
 * @param wholeTurns number of leading turns that fit completely
 * @param partialChars UTF-16 characters of the next turn that fit after them (0 when it starts on the
 *     next page or there is no next turn); never splits a surrogate pair
 */
public record PageCapacity(int wholeTurns, int partialChars) {

  /**
   * Whether every one of {@code turnCount} turns fits.
   *
   * @param turnCount how many turns
   * @return whether they all fit
   */
  public boolean fitsAll(int turnCount) {
    return wholeTurns >= turnCount;
  }
}
