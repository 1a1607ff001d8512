package dev.opticalmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The published poms (the parent's, inherited by the libraries, and the BOM's) carry the project's
 * address in url, scm and issueManagement, from one property that a release must set: the release
 * profile's rule accepts a real https address and refuses the placeholder.
 */
class ReleaseMetadataTest {
  private static final String ADDRESS = "${optical-memory.repository}";

  private static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String at(Document pom, String path) throws Exception {
    XPath xpath = XPathFactory.newInstance().newXPath();
    return xpath.evaluate(path, pom).strip();
  }

  @Test
  void the_parent_and_the_bom_take_url_scm_and_issues_from_the_release_address() throws Exception {
    for (Path file : new Path[] {Path.of("..", "pom.xml"), Path.of("..", "bom", "pom.xml")}) {
      Document pom = read(file);
      assertThat(at(pom, "/project/url")).as("%s url", file).isEqualTo(ADDRESS);
      assertThat(at(pom, "/project/scm/url")).as("%s scm url", file).isEqualTo(ADDRESS);
      assertThat(at(pom, "/project/scm/connection")).as("%s scm connection", file)
          .isEqualTo("scm:git:" + ADDRESS + ".git");
      assertThat(at(pom, "/project/scm/developerConnection")).as(file.toString())
          .isEqualTo("scm:git:" + ADDRESS + ".git");
      assertThat(at(pom, "/project/issueManagement/url")).as("%s issues", file)
          .isEqualTo(ADDRESS + "/issues");
      assertThat(at(pom, "/project/licenses/license/name")).as(file.toString())
          .isEqualTo("Apache-2.0");
      assertThat(at(pom, "/project/properties/optical-memory.repository"))
          .as("%s placeholder: a reserved host nothing resolves", file)
          .isEqualTo("https://optical-memory.invalid/repository");
    }
    Document parent = read(Path.of("..", "pom.xml"));
    assertThat(at(parent, "/project/@child.project.url.inherit.append.path"))
        .as("modules keep the project's address, not address/artifactId").isEqualTo("false");
    assertThat(at(parent, "/project/scm/@child.scm.url.inherit.append.path")).isEqualTo("false");
  }

  @Test
  void a_release_refuses_the_placeholder_and_accepts_a_real_https_address() throws Exception {
    for (Path file : new Path[] {Path.of("..", "pom.xml"), Path.of("..", "bom", "pom.xml")}) {
      Document pom = read(file);
      String rule = "/project/profiles/profile[id='release']/build/plugins/plugin"
          + "[artifactId='maven-enforcer-plugin']//requireProperty";
      assertThat(at(pom, rule + "/property")).as(file.toString())
          .isEqualTo("optical-memory.repository");
      Pattern regex = Pattern.compile(at(pom, rule + "/regex"));
      assertThat(regex.matcher("https://github.com/acme/optical-memory").matches()).isTrue();
      assertThat(regex.matcher(at(pom, "/project/properties/optical-memory.repository"))
          .matches()).as("the placeholder").isFalse();
      assertThat(regex.matcher("https://github.com/acme/optical-memory/").matches())
          .as("a trailing slash would make .../issues and ....git wrong").isFalse();
      assertThat(regex.matcher("http://github.com/acme/optical-memory").matches()).isFalse();
      assertThat(regex.matcher("").matches()).isFalse();
      assertThat(at(pom, "/project/profiles/profile[id='release']/build/plugins/plugin"
          + "[artifactId='flatten-maven-plugin']//pomElements/issueManagement"))
          .as("%s: the flattened pom keeps the issues address", file).isEqualTo("resolve");
    }
  }
}
