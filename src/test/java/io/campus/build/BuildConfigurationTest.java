package io.campus.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The build checks and never rewrites: unformatted code fails `./mvnw verify`. */
class BuildConfigurationTest {

  private static final Path POM = Path.of(System.getProperty("user.dir"), "pom.xml");

  @Test
  void spotlessOnlyChecksAndFailsTheVerifyPhase() throws Exception {
    Element spotless = plugin(pom(), "spotless-maven-plugin");
    List<String> goals = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    NodeList executions = spotless.getElementsByTagName("execution");
    for (int i = 0; i < executions.getLength(); i++) {
      Element execution = (Element) executions.item(i);
      phases.add(text(execution, "phase"));
      NodeList goalNodes = execution.getElementsByTagName("goal");
      for (int g = 0; g < goalNodes.getLength(); g++) {
        goals.add(goalNodes.item(g).getTextContent().trim());
      }
    }
    assertThat(goals).containsExactly("check");
    assertThat(phases).containsExactly("verify");
  }

  @Test
  void noProfileSkipsTheCheckWhereTheFormatterRuns() throws Exception {
    // Only the JDK 25 profile may skip it: the formatter does not run there, the JDK 17 build
    // checks.
    NodeList profiles = pom().getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if (profile.getElementsByTagName("spotless.check.skip").getLength() > 0) {
        assertThat(text(profile, "id")).isEqualTo("aot");
      }
    }
    assertThat(pom().getDocumentElement().getElementsByTagName("spotless.apply.skip").getLength())
        .isZero();
  }

  private static Document pom() throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
  }

  private static Element plugin(Document pom, String artifactId) {
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (artifactId.equals(text(plugin, "artifactId"))) {
        return plugin;
      }
    }
    throw new AssertionError("no " + artifactId + " in pom.xml");
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }
}
