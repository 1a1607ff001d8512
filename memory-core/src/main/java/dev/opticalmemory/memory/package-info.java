/**
 * The optical memory: {@link dev.opticalmemory.memory.OpticalMemory}, built by {@link
 * dev.opticalmemory.memory.OpticalMemoryBuilder}, its operations view and the types it returns.
 *
 * <h2>Arguments</h2>
 * <ul>
 *   <li>A null argument, or a null component of a record, is refused with {@link
 *       NullPointerException} whose message is the parameter's name, as {@link
 *       java.util.Objects#requireNonNull(Object, String)} gives it. Where null is allowed (a turn's
 *       timestamp, for example) the parameter's documentation says so.
 *   <li>Any other invalid argument is an {@link IllegalArgumentException} whose message names the
 *       argument, the rule and the value given; an unknown conversation or segment is one too.
 *   <li>A failure of the database or of a model is a {@link dev.opticalmemory.memory.MemoryException}
 *       that keeps its cause; calling a closed memory is an {@link IllegalStateException}.
 * </ul>
 */
package dev.opticalmemory.memory;
