package io.csfle.connect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown file of the repository, read the way GitHub renders it: its headings' anchors and
 * its links, both outside fenced code blocks.
 */
final class MarkdownPage {
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  final Path file;
  private final List<String> prose = new ArrayList<>();

  private MarkdownPage(Path file, List<String> lines) {
    this.file = file;
    boolean inFence = false;
    for (String line : lines) {
      if (line.stripLeading().startsWith("```")) {
        inFence = !inFence;
      } else if (!inFence) {
        prose.add(line);
      }
    }
  }

  static MarkdownPage read(Path file) throws IOException {
    return new MarkdownPage(file, Files.readAllLines(file));
  }

  /** Link targets as written, e.g. {@code docs/kms.md#aws-kms} or {@code #errors}. */
  List<String> links() {
    List<String> targets = new ArrayList<>();
    for (String line : prose) {
      Matcher link = LINK.matcher(line);
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  /** The anchors GitHub gives the headings, duplicates numbered as GitHub numbers them. */
  Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(1));
        int count = seen.merge(slug, 1, Integer::sum);
        anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return anchors;
  }

  /** GitHub's rule: lower case, drop punctuation other than '-' and '_', spaces become '-'. */
  static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
