package dev.opticalmemory.memory;

/** Who produced a turn. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL
}
