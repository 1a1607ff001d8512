package dev.opticalmemory.memory;

/**
 * Told of every committed tier change, on the thread that made it (a background thread for AGED).
 * Keep it quick; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TransitionListener {
  void onTransition(Transition transition);
}
