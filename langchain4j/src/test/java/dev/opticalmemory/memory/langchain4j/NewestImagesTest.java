package dev.opticalmemory.memory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NewestImagesTest {

  @Test
  void the_eldest_images_are_dropped_first_once_the_weight_is_passed() {
    NewestImages images = new NewestImages(10);
    images.put("a", "aaaa");
    images.put("b", "bbbb");
    images.put("c", "cccc");

    assertThat(images.get("a")).isNull();
    assertThat(images.get("b")).isEqualTo("bbbb");
    assertThat(images.get("c")).isEqualTo("cccc");
    assertThat(images.weight()).isEqualTo(8);
  }

  @Test
  void a_new_image_is_kept_even_when_no_read_asked_for_it_yet() {
    NewestImages images = new NewestImages(10);
    images.put("old", "oooo");
    for (int i = 0; i < 100; i++) {
      images.get("old");
    }
    images.put("new", "nnnnnnn");

    assertThat(images.get("new")).isEqualTo("nnnnnnn");
    assertThat(images.get("old")).isNull();
  }

  @Test
  void the_newest_image_is_kept_when_it_alone_is_heavier_than_the_weight() {
    NewestImages images = new NewestImages(4);
    images.put("small", "ss");
    images.put("huge", "h".repeat(50));

    assertThat(images.get("huge")).hasSize(50);
    assertThat(images.get("small")).isNull();
    assertThat(images.weight()).isEqualTo(50);
  }

  @Test
  void putting_a_reference_again_replaces_its_weight_instead_of_adding_to_it() {
    NewestImages images = new NewestImages(100);
    images.put("a", "aaaa");
    images.put("a", "aa");

    assertThat(images.weight()).isEqualTo(2);
    assertThat(images.get("a")).isEqualTo("aa");
  }

  @Test
  void clearing_drops_every_image_and_its_weight() {
    NewestImages images = new NewestImages(100);
    images.put("a", "aaaa");
    images.clear();

    assertThat(images.get("a")).isNull();
    assertThat(images.weight()).isZero();
  }

  @Test
  void a_weight_below_one_is_refused_with_its_value() {
    assertThatThrownBy(() -> new NewestImages(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxWeight")
        .hasMessageContaining("0");
  }
}
