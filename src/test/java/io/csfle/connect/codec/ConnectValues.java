package io.csfle.connect.codec;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Exact equality for decoded values: same Java classes all the way down, byte arrays by content
 * (also inside lists, maps and structs, where Connect's own equals compares them by identity), and
 * map entries in the same order, because the codec promises to keep it.
 */
public final class ConnectValues {
  private ConnectValues() {}

  public static boolean deepEquals(Object expected, Object actual) {
    if (expected == actual) {
      return true;
    }
    if (expected == null || actual == null || expected.getClass() != actual.getClass()) {
      return false;
    }
    if (expected instanceof byte[]) {
      return Arrays.equals((byte[]) expected, (byte[]) actual);
    }
    if (expected instanceof List) {
      return listEquals((List<?>) expected, (List<?>) actual);
    }
    if (expected instanceof Map) {
      return mapEquals((Map<?, ?>) expected, (Map<?, ?>) actual);
    }
    if (expected instanceof Struct) {
      return structEquals((Struct) expected, (Struct) actual);
    }
    return expected.equals(actual);
  }

  private static boolean listEquals(List<?> expected, List<?> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!deepEquals(expected.get(i), actual.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean mapEquals(Map<?, ?> expected, Map<?, ?> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    Iterator<? extends Map.Entry<?, ?>> other = actual.entrySet().iterator();
    for (Map.Entry<?, ?> entry : expected.entrySet()) {
      Map.Entry<?, ?> next = other.next();
      if (!deepEquals(entry.getKey(), next.getKey())
          || !deepEquals(entry.getValue(), next.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean structEquals(Struct expected, Struct actual) {
    if (!expected.schema().equals(actual.schema())) {
      return false;
    }
    for (Field field : expected.schema().fields()) {
      if (!deepEquals(
          expected.getWithoutDefault(field.name()), actual.getWithoutDefault(field.name()))) {
        return false;
      }
    }
    return true;
  }
}
