package dev.opticalmemory.memory;

/** Who produced a turn. */
public enum Role {
  /** A system instruction. */
  SYSTEM,
  /** A user message. */
  USER,
  /** An assistant message. */
  ASSISTANT,
  /** A tool's result. */
  TOOL
}
