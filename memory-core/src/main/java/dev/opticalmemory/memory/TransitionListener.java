package dev.opticalmemory.memory;

/**
 * Told of every committed tier change, on the thread that made it (a background thread for AGED).
 * Keep it quick; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TransitionListener {
  /**
   * Called after each transition, on the thread that made it; must return quickly.
   *
   * @param transition what moved
   */
  void onTransition(Transition transition);

  /**
   * Called after a closed TEXT segment's page is drawn and stored (it is not a transition: the
   * segment stays TEXT until it ages), for listeners that keep images of pages ready; by default
   * nothing.
   *
   * @param conversation the conversation id
   * @param segmentId the segment's id
   * @param index the segment's position in its conversation
   */
  default void onPageDrawn(String conversation, long segmentId, int index) {
  }
}
