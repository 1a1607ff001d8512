package dev.opticalmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/** The README's Spring AI example is the test application, and its application.yml binds. */
class ReadmeSnippetTest {
  @Test
  void the_readme_shows_the_test_application_and_its_yaml_word_for_word() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String source = Files.readString(
        Path.of("src/test/java/dev/opticalmemory/spring/boot/ChatApplication.java"));
    String shown = source.substring(source.indexOf("// README:start\n") + 16,
        source.indexOf("// README:end"));
    assertThat(readme).contains(shown);
    String yaml = Files.readString(Path.of("src/test/resources/application-readme.yml"));
    assertThat(readme).contains(yaml);
    var loaded = new YamlPropertySourceLoader().load("readme",
        new FileSystemResource("src/test/resources/application-readme.yml"));
    assertThat(loaded.get(0).getProperty("optical-memory.reader")).isEqualTo("openai");
    assertThat(loaded.get(0).getProperty("optical-memory.budget")).isEqualTo(8000);
  }
}
