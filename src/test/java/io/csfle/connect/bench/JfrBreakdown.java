package io.csfle.connect.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU samples of a JFR recording go, by kind of work: the cipher, Confluent's base64
 * text, the transform's metrics, UTF-8 and other String work, map copies and lookups, Connect's
 * Struct, the rest of the transform's record handling, and outside the transform the converter, the
 * producer's send path, the consumer's poll and everything else. Used on the worker's recording by
 * {@code BENCH_JFR=1 scripts/bench pipeline} and on JMH's by {@code scripts/bench <regexp> -prof
 * jfr} (docs/performance.md, "Where the time goes").
 *
 * <p>{@code JfrBreakdown <thread-name-part> <recording.jfr> ...}: the samples of the threads whose
 * name contains the part (an empty part takes every thread), over all the recordings given; {@code
 * connect-tasks} instead of a part takes Connect's task threads.
 */
public final class JfrBreakdown {
  /**
   * Kinds of work. Cipher, base64 and String work are found anywhere; metrics, maps, Struct and the
   * rest of the transform only inside a transform's {@code apply}; converter, producer and consumer
   * only outside it.
   */
  enum Work {
    CIPHER("cipher (JCE AES-GCM; Tink in the raw twins)"),
    BASE64("base64 text of the ciphertext"),
    METRICS("transform metrics"),
    STRINGS("UTF-8 of the plaintext, other String copies"),
    MAPS("map copy and lookups"),
    STRUCT("Connect Struct and schema"),
    TRANSFORM("rest of the transform (walk, record copy)"),
    CONVERTER("converter (JSON)"),
    PRODUCER("producer send path"),
    CONSUMER("consumer poll"),
    OTHER("other");

    final String label;

    Work(String label) {
      this.label = label;
    }
  }

  /** The thread choice meaning Connect's task threads. */
  static final String TASKS = "connect-tasks";

  private JfrBreakdown() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println(
          "usage: JfrBreakdown <thread-name-part | " + TASKS + "> <recording.jfr> ...");
      System.exit(2);
    }
    String part = args[0];
    EnumMap<Work, Integer> counts = new EnumMap<>(Work.class);
    for (int i = 1; i < args.length; i++) {
      List<RecordedEvent> samples = new ArrayList<>();
      for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[i]))) {
        if (event.getEventType().getName().equals("jdk.ExecutionSample")
            && event.getStackTrace() != null) {
          samples.add(event);
        }
      }
      Predicate<RecordedThread> chosen = part.equals(TASKS) ? taskThreads(samples) : named(part);
      for (RecordedEvent sample : samples) {
        if (chosen.test(sample.getThread("sampledThread"))) {
          counts.merge(classify(methods(sample.getStackTrace())), 1, Integer::sum);
        }
      }
    }
    System.out.print(table(part, counts));
  }

  /**
   * Connect's task threads: those with a sample in a {@code Worker*Task} of Connect's runtime. The
   * recording knows them by the name they started with (a pool's), not the task's.
   */
  private static Predicate<RecordedThread> taskThreads(List<RecordedEvent> samples) {
    Set<Long> ids = new HashSet<>();
    for (RecordedEvent sample : samples) {
      if (methods(sample.getStackTrace()).stream()
          .anyMatch(method -> method.startsWith("org.apache.kafka.connect.runtime.Worker"))) {
        ids.add(sample.getThread("sampledThread").getId());
      }
    }
    return thread -> thread != null && ids.contains(thread.getId());
  }

  private static Predicate<RecordedThread> named(String part) {
    return thread ->
        thread != null && thread.getJavaName() != null && thread.getJavaName().contains(part);
  }

  private static List<String> methods(RecordedStackTrace stack) {
    List<String> methods = new ArrayList<>();
    for (RecordedFrame frame : stack.getFrames()) {
      methods.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
    }
    return methods;
  }

  /**
   * The kind of work of one sample, from its frames (leaf first): the first frame, from the leaf,
   * of a known kind; String frames are looked through (their caller says whose work they are), and
   * count as String work when the caller is the transform's own code.
   */
  static Work classify(List<String> frames) {
    boolean inTransform =
        frames.stream().anyMatch(f -> f.startsWith("io.csfle.connect.transforms."));
    boolean strings = false;
    for (String frame : frames) {
      Work work = kind(frame);
      if (work == Work.CIPHER || work == Work.BASE64) {
        return work;
      }
      if (work != null && isTransformWork(work) == inTransform) {
        return work;
      }
      if (frame.startsWith("java.lang.String")) {
        strings = true;
      } else if (work == null && frame.startsWith("io.csfle.connect.")) {
        return strings ? Work.STRINGS : inTransform ? Work.TRANSFORM : Work.OTHER;
      }
    }
    return inTransform ? Work.TRANSFORM : Work.OTHER;
  }

  /** The kinds only the transform's own samples have (besides cipher, base64 and Strings). */
  private static boolean isTransformWork(Work work) {
    return work == Work.METRICS
        || work == Work.MAPS
        || work == Work.STRUCT
        || work == Work.TRANSFORM;
  }

  private static Work kind(String frame) {
    if (frame.startsWith("com.sun.crypto.")
        || frame.startsWith("javax.crypto.")
        || frame.startsWith("com.google.crypto.tink.")
        || frame.startsWith("io.csfle.connect.crypto.")) {
      return Work.CIPHER;
    }
    if (frame.startsWith("java.util.Base64") || frame.contains(".CiphertextFormat.")) {
      return Work.BASE64;
    }
    if (frame.contains(".TransformMetrics.")
        || frame.startsWith("org.apache.kafka.common.metrics")) {
      return Work.METRICS;
    }
    if (frame.startsWith("java.util.HashMap")
        || frame.startsWith("java.util.LinkedHashMap")
        || frame.startsWith("io.csfle.connect.field.OrderedArrayMap")) {
      return Work.MAPS;
    }
    if (frame.startsWith("org.apache.kafka.connect.data.")) {
      return Work.STRUCT;
    }
    if (frame.startsWith("org.apache.kafka.connect.json.")
        || frame.startsWith("com.fasterxml.jackson.")
        || frame.startsWith("org.apache.kafka.connect.storage.")) {
      return Work.CONVERTER;
    }
    if (frame.startsWith("org.apache.kafka.clients.producer.")) {
      return Work.PRODUCER;
    }
    if (frame.startsWith("org.apache.kafka.clients.consumer.")) {
      return Work.CONSUMER;
    }
    return null;
  }

  static String table(String thread, Map<Work, Integer> byWork) {
    int total = byWork.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "threads %s: %d samples%n",
            thread.equals(TASKS)
                ? "of Connect tasks"
                : thread.isEmpty() ? "(all)" : "named *" + thread + "*",
            total));
    for (Work work : Work.values()) {
      int count = byWork.getOrDefault(work, 0);
      if (count > 0) {
        out.append(
            String.format(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * count / total, work.label));
      }
    }
    return out.toString();
  }
}
