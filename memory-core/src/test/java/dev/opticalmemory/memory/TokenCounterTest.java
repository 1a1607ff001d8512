package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {
  @Test
  void the_openai_counters_are_built_once_per_process_and_shared() {
    assertThat(TokenCounter.o200k()).isSameAs(TokenCounter.o200k());
    assertThat(TokenCounter.cl100k()).isSameAs(TokenCounter.cl100k());
    assertThat(TokenCounter.o200k()).isNotSameAs(TokenCounter.cl100k());
    assertThat(TokenCounter.o200k().count("")).isZero();
    assertThat(TokenCounter.o200k().count("hello world")).isEqualTo(2);
  }
}
