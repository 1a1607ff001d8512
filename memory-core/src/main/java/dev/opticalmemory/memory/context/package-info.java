/**
 * Fitting a conversation into a reader's budget: {@link
 * dev.opticalmemory.memory.context.ContextAssembler}, the readers' image prices ({@link
 * dev.opticalmemory.memory.context.VisionReader}) and the items of an assembled context. Arguments
 * are checked as in {@link dev.opticalmemory.memory}: null is a {@link NullPointerException} named
 * after the parameter, anything else invalid an {@link IllegalArgumentException} naming it.
 */
package dev.opticalmemory.memory.context;
