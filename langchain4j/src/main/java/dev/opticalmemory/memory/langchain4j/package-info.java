/**
 * The optical memory in LangChain4j: {@link
 * dev.opticalmemory.memory.langchain4j.OpticalChatMemory} and its provider, the recall, read and
 * remember tools, and a token estimator that prices images as each reader does. Arguments are
 * checked as in {@link dev.opticalmemory.memory}: null is a {@link NullPointerException} named
 * after the parameter, anything else invalid an {@link IllegalArgumentException} naming it.
 */
package dev.opticalmemory.memory.langchain4j;
