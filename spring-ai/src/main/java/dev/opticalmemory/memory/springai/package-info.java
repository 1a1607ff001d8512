/**
 * The optical memory for Spring AI: {@link dev.opticalmemory.memory.springai.OpticalSpringChatMemory}
 * (a {@code ChatMemory}), {@link dev.opticalmemory.memory.springai.OpticalMemoryAdvisor} (one line
 * on a {@code ChatClient}) and {@link dev.opticalmemory.memory.springai.OpticalMemoryTools} (recall,
 * read and remember as {@code @Tool} methods).
 */
package dev.opticalmemory.memory.springai;
