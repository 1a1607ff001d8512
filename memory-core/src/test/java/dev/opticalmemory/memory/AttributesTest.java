package dev.opticalmemory.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AttributesTest {
  @Test
  void every_map_of_strings_comes_back_equal_whatever_its_escapes() {
    Random random = new Random(7);
    String alphabet = "ab=\\\n\r\t=é漢\\n=";
    for (int round = 0; round < 500; round++) {
      Map<String, String> map = new TreeMap<>();
      for (int e = random.nextInt(5); e >= 0; e--) {
        map.put(randomString(random, alphabet), randomString(random, alphabet));
      }
      assertThat(Attributes.decode(Attributes.encode(map))).isEqualTo(map);
    }
  }

  @Test
  void a_megabyte_value_with_padding_and_newlines_round_trips() {
    String big = "x".repeat(1 << 20) + "==\n\\end";
    Map<String, String> map = Map.of("langchain4j.message", big, "k=1", "v\\2");
    assertThat(Attributes.decode(Attributes.encode(map))).isEqualTo(map);
    assertThat(Attributes.decode(null)).isEmpty();
    assertThat(Attributes.encode(Map.of())).isNull();
  }

  private static String randomString(Random random, String alphabet) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
