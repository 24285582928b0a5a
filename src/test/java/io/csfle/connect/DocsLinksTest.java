package io.csfle.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the documentation reaches a file that exists, and every {@code #anchor} a
 * heading of the page it names, so that moving a section breaks the build rather than the reader.
 */
class DocsLinksTest {
  /**
   * Pages other work will add (the configuration reference is generated from the code): links to
   * them are allowed while they do not exist, and this test fails as soon as one does, so that it
   * is taken off this list and its links checked like any other.
   */
  @Test
  void everyRelativeLink_reachesAnExistingFileAndHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path file : documentation()) {
      MarkdownPage page = MarkdownPage.read(file);
      for (String link : page.links()) {
        if (!link.matches("^[a-z]+:.*")) {
          brokenTarget(page, link)
              .ifPresent(reason -> broken.add(file + ": " + link + " " + reason));
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void slug_followsGitHubsRule() {
    assertThat(MarkdownPage.slug("Embedded DEK store (no registry server)"))
        .isEqualTo("embedded-dek-store-no-registry-server");
    assertThat(MarkdownPage.slug("1. The ciphertext envelope (Confluent's)"))
        .isEqualTo("1-the-ciphertext-envelope-confluents");
    assertThat(MarkdownPage.slug("DEK registry (`dek.store=registry`)"))
        .isEqualTo("dek-registry-dekstoreregistry");
  }

  private static Optional<String> brokenTarget(MarkdownPage page, String link) throws IOException {
    int hash = link.indexOf('#');
    String path = hash < 0 ? link : link.substring(0, hash);
    Path folder = page.file.getParent() == null ? Path.of("") : page.file.getParent();
    Path target = path.isEmpty() ? page.file : folder.resolve(path).normalize();
    if (!Files.exists(target)) {
      return Optional.of("(no such file)");
    }
    if (hash >= 0 && target.toString().endsWith(".md")) {
      String anchor = link.substring(hash + 1);
      if (!MarkdownPage.read(target).anchors().contains(anchor)) {
        return Optional.of("(no such heading in " + target + ")");
      }
    }
    return Optional.empty();
  }

  private static List<Path> documentation() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("SECURITY.md")));
    files.add(Path.of("docker/README.md"));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }
}
