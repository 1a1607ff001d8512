/**
 * Micrometer meters of a memory: {@link dev.opticalmemory.memory.metrics.MemoryMetrics}. Needs
 * {@code io.micrometer:micrometer-core}, an optional dependency of memory-core.
 */
package dev.opticalmemory.memory.metrics;
