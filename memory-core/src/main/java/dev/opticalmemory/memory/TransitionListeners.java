package dev.opticalmemory.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners of one memory: those of its builder, then those subscribed later. Each is told of
 * a transition in turn, and one that throws is logged without keeping the others from hearing it.
 */
final class TransitionListeners implements TransitionListener {
  private static final System.Logger LOG = System.getLogger(TransitionListeners.class.getName());

  private final List<TransitionListener> listeners;

  TransitionListeners(List<TransitionListener> initial) {
    this.listeners = new CopyOnWriteArrayList<>(initial);
  }

  void add(TransitionListener listener) {
    listeners.add(listener);
  }

  boolean remove(TransitionListener listener) {
    return listeners.remove(listener);
  }

  @Override
  public void onTransition(Transition transition) {
    for (TransitionListener listener : listeners) {
      try {
        listener.onTransition(transition);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "transition listener failed on " + transition, e);
      }
    }
  }

  @Override
  public void onPageDrawn(String conversation, long segmentId, int index) {
    for (TransitionListener listener : listeners) {
      try {
        listener.onPageDrawn(conversation, segmentId, index);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "transition listener failed on the page of segment "
            + segmentId + " of '" + conversation + "'", e);
      }
    }
  }
}
