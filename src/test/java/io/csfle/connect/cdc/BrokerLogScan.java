package io.csfle.connect.cdc;

import io.csfle.connect.testkit.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * Reads every file in the brokers' log directories but the offset indexes (segments of every topic,
 * internal ones included: Connect's configs, offsets and status, the DEK store's topic; producer
 * snapshots, checkpoints, the metadata log) and reports which needles occur in them. The
 * directories are asked of the brokers themselves, so the scan covers what the cluster actually
 * stores, wherever the test kit put it.
 */
final class BrokerLogScan {
  private final List<Path> files;
  private final List<byte[]> contents;

  private BrokerLogScan(List<Path> files, List<byte[]> contents) {
    this.files = files;
    this.contents = contents;
  }

  static BrokerLogScan of(Admin admin) throws Exception {
    Collection<Integer> brokers =
        admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
    List<Path> dirs = new ArrayList<>();
    admin
        .describeLogDirs(brokers)
        .allDescriptions()
        .get(30, TimeUnit.SECONDS)
        .values()
        .forEach(byDir -> byDir.keySet().forEach(dir -> dirs.add(Path.of(dir))));
    List<Path> files = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path file : walk.filter(Files::isRegularFile).filter(f -> !isIndex(f)).toList()) {
          files.add(file);
          contents.add(readIfPresent(file));
        }
      }
    }
    return new BrokerLogScan(files, contents);
  }

  /**
   * Offset and time indexes map offsets to file positions and hold no record bytes; they are
   * preallocated (10 MB each), so scanning them would cost most of the time and find nothing.
   */
  private static boolean isIndex(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".index") || name.endsWith(".timeindex");
  }

  /** A file can go while we walk (segment roll, index cleanup): read it as empty then. */
  private static byte[] readIfPresent(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes in the segment files of {@code topic}'s partitions. */
  long bytesOfTopic(String topic) {
    long total = 0;
    for (int i = 0; i < files.size(); i++) {
      String partitionDir = files.get(i).getParent().getFileName().toString();
      if (partitionDir.startsWith(topic + "-") && files.get(i).toString().endsWith(".log")) {
        total += contents.get(i).length;
      }
    }
    return total;
  }

  /** The relative paths of the files that contain {@code needle}. */
  List<String> filesContaining(byte[] needle) {
    List<String> hits = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      if (Bytes.indexOf(contents.get(i), needle) >= 0) {
        Path file = files.get(i);
        hits.add(file.getParent().getFileName() + "/" + file.getFileName());
      }
    }
    return hits;
  }
}
