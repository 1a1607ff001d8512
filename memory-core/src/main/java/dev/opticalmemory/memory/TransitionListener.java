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
}
