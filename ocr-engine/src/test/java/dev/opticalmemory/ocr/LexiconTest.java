package dev.opticalmemory.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LexiconTest {

  /**
   * The words of o200k: its tokens that are a space and ASCII letters. Run with {@code
   * -Dlexicon.write=PATH} to write the list (to regenerate the resource after a JTokkit update).
   */
  private static List<String> o200kWords() {
    Encoding o200k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    TreeSet<String> words = new TreeSet<>();
    // Ordinary tokens are 0 to 199,997; the special ones above have no bytes.
    for (int id = 0; id < 199_998; id++) {
      IntArrayList token = new IntArrayList();
      token.add(id);
      String text = new String(o200k.decodeBytes(token), StandardCharsets.UTF_8);
      if (text.matches(" [A-Za-z]+")) {
        words.add(text.substring(1));
      }
    }
    return List.copyOf(words);
  }

  @Test
  void the_bundled_word_list_is_exactly_the_words_of_the_o200k_encoding() throws IOException {
    List<String> expected = o200kWords();
    String write = System.getProperty("lexicon.write");
    if (write != null) {
      Files.write(Path.of(write), expected);
    }
    List<String> bundled;
    try (InputStream in = Lexicon.class.getResourceAsStream(Lexicon.RESOURCE)) {
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(bundled).hasSize(68_059).isEqualTo(expected);
  }

  @Test
  void common_words_their_inflections_names_and_contractions_are_known() {
    assertThat(List.of("learning", "community", "flowers", "Thankfully", "relationships", "Melanie",
        "Caroline", "I", "a", "it", "OK", "I'm", "I've", "you're", "don't", "can't", "won't",
        "isn't", "It\u2019s", "THE")).allSatisfy(w -> assertThat(Lexicon.knows(w)).as(w).isTrue());
  }

  @Test
  void small_page_misreadings_and_short_code_fragments_are_not_known() {
    assertThat(List.of("leaming", "cornmunity", "fiowers", "Melaniel", "Fm", "rm", "rve", "MeL",
        "pattem", "worid", "awesomel", "it'x", "", "caf\u00e9", "a1"))
        .allSatisfy(w -> assertThat(Lexicon.knows(w)).as(w).isFalse());
  }
}
