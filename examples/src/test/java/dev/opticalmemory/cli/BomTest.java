package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** optical-memory-bom gives the versions the build really uses. */
class BomTest {
  private static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String child(Element parent, String name) {
    NodeList nodes = parent.getElementsByTagName(name);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
  }

  @Test
  void every_version_in_the_bom_is_the_one_on_the_class_path_of_the_build() throws Exception {
    Element bom = read(Path.of("..", "bom", "pom.xml")).getDocumentElement();
    Element parent = read(Path.of("..", "pom.xml")).getDocumentElement();
    String version = child(parent, "version");
    assertThat(child(bom, "version")).as("the BOM's version").isEqualTo(version);

    List<String> classPath = Arrays.stream(System.getProperty("java.class.path")
        .split(File.pathSeparator)).map(e -> e.replace('\\', '/')).toList();
    NodeList managed = bom.getElementsByTagName("dependency");
    assertThat(managed.getLength()).isGreaterThanOrEqualTo(8);
    for (int i = 0; i < managed.getLength(); i++) {
      Element d = (Element) managed.item(i);
      String group = child(d, "groupId");
      String artifact = child(d, "artifactId");
      String v = child(d, "version");
      if (group.equals("dev.opticalmemory")) {
        assertThat(v).as(artifact).isEqualTo("${project.version}");
        continue;
      }
      String jar = "/" + group.replace('.', '/') + "/" + artifact + "/" + v + "/" + artifact + "-"
          + v + ".jar";
      assertThat(classPath).as("%s:%s:%s is what the build uses", group, artifact, v)
          .anyMatch(entry -> entry.endsWith(jar));
    }
  }
}
