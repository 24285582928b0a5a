package io.csfle.connect.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Random Connect schemas and values for property tests, weighted towards the edges: empty and
 * unicode strings, extreme numbers, NaN and -0.0, huge decimals with negative scales, nulls in
 * optional places, empty and nested containers, Debezium-style named schemas.
 */
public final class RandomConnectData {
  public static final int MAX_DEPTH = 4;
  private static final long DAY = 86_400_000L;

  private final Random random;

  public RandomConnectData(Random random) {
    this.random = random;
  }

  /** A schema with containers nested up to {@code depth} deep, optionally with metadata. */
  public Schema schema(int depth, boolean metadata) {
    // At depth > 0, half the picks are containers, so most cases nest something.
    int kind = depth > 0 && random.nextBoolean() ? 19 + random.nextInt(3) : random.nextInt(19);
    SchemaBuilder builder =
        switch (kind) {
          case 0 -> SchemaBuilder.bool();
          case 1 -> SchemaBuilder.int8();
          case 2 -> SchemaBuilder.int16();
          case 3 -> SchemaBuilder.int32();
          case 4 -> SchemaBuilder.int64();
          case 5 -> SchemaBuilder.float32();
          case 6 -> SchemaBuilder.float64();
          case 7 -> SchemaBuilder.string();
          case 8 -> SchemaBuilder.bytes();
          case 9 -> Decimal.builder(scale());
          case 10 -> Date.builder();
          case 11 -> Time.builder();
          case 12 -> Timestamp.builder();
          case 13 -> named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp");
          case 14 -> named(SchemaBuilder.int32(), "io.debezium.time.Date");
          case 15 -> named(SchemaBuilder.string(), "io.debezium.data.Json");
          case 16 -> named(SchemaBuilder.string(), "io.debezium.data.Uuid");
          case 17 -> variableScaleDecimal();
          case 18 -> named(SchemaBuilder.int64(), "io.debezium.time.NanoTime");
          case 19 -> SchemaBuilder.array(schema(depth - 1, metadata));
          case 20 -> SchemaBuilder.map(schema(depth - 1, metadata), schema(depth - 1, metadata));
          default -> struct(depth - 1, metadata);
        };
    if (random.nextInt(3) == 0) {
      builder.optional();
    }
    if (metadata) {
      addMetadata(builder);
    }
    return builder.build();
  }

  private SchemaBuilder struct(int depth, boolean metadata) {
    SchemaBuilder builder = SchemaBuilder.struct();
    int fields = random.nextInt(6);
    for (int i = 0; i < fields; i++) {
      String name = random.nextInt(8) == 0 ? "fïeld " + i + " 😀" : "f" + i;
      builder.field(name, schema(depth, metadata));
    }
    return builder;
  }

  private SchemaBuilder variableScaleDecimal() {
    return named(SchemaBuilder.struct(), "io.debezium.data.VariableScaleDecimal")
        .doc("Variable scaled decimal")
        .field("scale", Schema.INT32_SCHEMA)
        .field("value", Schema.BYTES_SCHEMA);
  }

  private static SchemaBuilder named(SchemaBuilder builder, String name) {
    return builder.name(name).version(1);
  }

  private void addMetadata(SchemaBuilder builder) {
    if (builder.name() == null && random.nextInt(4) == 0) {
      builder.name("com.example.Name" + random.nextInt(100));
    }
    if (builder.version() == null && random.nextInt(4) == 0) {
      builder.version(random.nextInt(5) == 0 ? Integer.MIN_VALUE : random.nextInt(10));
    }
    if (builder.doc() == null && random.nextInt(4) == 0) {
      builder.doc(string());
    }
    if (random.nextInt(4) == 0) {
      int count = random.nextInt(4);
      for (int i = 0; i < count; i++) {
        builder.parameter("p" + random.nextInt(10), string());
      }
    }
    Schema built = builder.build();
    // SchemaBuilder refuses Struct defaults, and Schema.equals compares byte arrays nested in a
    // container default by identity: SchemaCodecTest covers both separately.
    boolean container = built.type() == Schema.Type.ARRAY || built.type() == Schema.Type.MAP;
    if (built.type() != Schema.Type.STRUCT
        && !(container && holdsBytes(built))
        && random.nextInt(4) == 0) {
      builder.defaultValue(nonNull(built));
    }
  }

  private static boolean holdsBytes(Schema schema) {
    return switch (schema.type()) {
      case BYTES -> !Decimal.LOGICAL_NAME.equals(schema.name());
      case ARRAY -> holdsBytes(schema.valueSchema());
      case MAP -> holdsBytes(schema.keySchema()) || holdsBytes(schema.valueSchema());
      case STRUCT -> schema.fields().stream().anyMatch(f -> holdsBytes(f.schema()));
      default -> false;
    };
  }

  /** A value of the schema: null in optional places one time in five. */
  public Object value(Schema schema) {
    if (schema.isOptional() && random.nextInt(5) == 0) {
      return null;
    }
    return nonNull(schema);
  }

  Object nonNull(Schema schema) {
    Tag tag = Tag.forSchema(schema);
    switch (tag) {
      case ARRAY:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          list.add(value(schema.valueSchema()));
        }
        return list;
      case MAP:
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          map.put(value(schema.keySchema()), value(schema.valueSchema()));
        }
        return map;
      case STRUCT:
        Struct struct = new Struct(schema);
        for (Field field : schema.fields()) {
          Object value = value(field.schema());
          if (value != null) {
            struct.put(field, value);
          }
        }
        return struct;
      case DECIMAL:
        return new BigDecimal(unscaled(), Schemas.decimalScale(schema));
      default:
        return scalar(tag);
    }
  }

  /** A schemaless value: the Java types a Map/List record may hold, nulls inside containers. */
  public Object schemaless(int depth) {
    return switch (random.nextInt(depth > 0 ? 13 : 11)) {
      case 0 -> scalar(Tag.BOOLEAN);
      case 1 -> scalar(Tag.INT8);
      case 2 -> scalar(Tag.INT16);
      case 3 -> scalar(Tag.INT32);
      case 4 -> scalar(Tag.INT64);
      case 5 -> scalar(Tag.FLOAT32);
      case 6 -> scalar(Tag.FLOAT64);
      case 7 -> scalar(Tag.STRING);
      case 8 -> scalar(Tag.BYTES);
      case 9 -> new BigDecimal(unscaled(), scale());
      case 10 -> scalar(Tag.TIMESTAMP);
      case 11 -> schemalessList(depth);
      default -> schemalessMap(depth);
    };
  }

  private List<Object> schemalessList(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      list.add(random.nextInt(6) == 0 ? null : schemaless(depth - 1));
    }
    return list;
  }

  private Map<Object, Object> schemalessMap(int depth) {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      Object key = random.nextInt(4) == 0 ? schemaless(0) : string();
      map.put(key, random.nextInt(6) == 0 ? null : schemaless(depth - 1));
    }
    return map;
  }

  private Object scalar(Tag tag) {
    return switch (tag) {
      case BOOLEAN -> random.nextBoolean();
      case INT8 -> (byte) edgeOr(Byte.MIN_VALUE, Byte.MAX_VALUE);
      case INT16 -> (short) edgeOr(Short.MIN_VALUE, Short.MAX_VALUE);
      case INT32 -> (int) edgeOr(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case INT64 -> edgeOr(Long.MIN_VALUE, Long.MAX_VALUE);
      case FLOAT32 -> float32();
      case FLOAT64 -> float64();
      case STRING -> string();
      case BYTES -> bytes();
      case DATE -> new java.util.Date(days() * DAY);
      case TIME -> new java.util.Date(random.nextInt(5) == 0 ? DAY : random.nextInt((int) DAY));
      case TIMESTAMP -> new java.util.Date(edgeOr(Long.MIN_VALUE, Long.MAX_VALUE));
      default -> throw new IllegalArgumentException("not a scalar tag: " + tag);
    };
  }

  /** An extreme (min, max, 0, -1, 1) one time in three, else a random value of the range. */
  private long edgeOr(long min, long max) {
    return switch (random.nextInt(9)) {
      case 0 -> min;
      case 1 -> max;
      case 2 -> random.nextInt(3) - 1;
      default -> {
        long v = random.nextLong();
        yield max == Long.MAX_VALUE ? v : min + Math.floorMod(v, max - min + 1);
      }
    };
  }

  private float float32() {
    float[] edges = {
      Float.NaN,
      -0.0f,
      0.0f,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE,
      Float.MAX_VALUE,
      Float.MIN_NORMAL,
      -1.5f
    };
    return random.nextInt(3) == 0
        ? edges[random.nextInt(edges.length)]
        : Float.intBitsToFloat(random.nextInt());
  }

  private double float64() {
    double[] edges = {
      Double.NaN,
      -0.0d,
      0.0d,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE,
      Double.MAX_VALUE,
      Double.MIN_NORMAL,
      0.1d
    };
    return random.nextInt(3) == 0
        ? edges[random.nextInt(edges.length)]
        : Double.longBitsToDouble(random.nextLong());
  }

  /** Empty, ASCII, Latin, CJK, emoji (surrogate pairs), U+FFFD, NUL, and long strings. */
  public String string() {
    int pick = random.nextInt(6);
    int length = pick == 0 ? 0 : pick == 1 ? 100 + random.nextInt(400) : random.nextInt(12);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(8)) {
        case 0 -> s.append('é');
        case 1 -> s.append((char) (0x4E00 + random.nextInt(0x5000)));
        case 2 -> s.appendCodePoint(0x1F600 + random.nextInt(0x50));
        case 3 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000));
        case 4 -> s.append(random.nextInt(10) == 0 ? '\uFFFD' : '\u0000');
        default -> s.append((char) (0x20 + random.nextInt(0x5F)));
      }
    }
    return s.toString();
  }

  private byte[] bytes() {
    byte[] bytes = new byte[random.nextInt(4) == 0 ? 128 + random.nextInt(300) : random.nextInt(9)];
    random.nextBytes(bytes);
    return bytes;
  }

  private int scale() {
    int[] edges = {0, -1, 1, 38, -38, Integer.MAX_VALUE, Integer.MIN_VALUE};
    return random.nextInt(4) == 0 ? edges[random.nextInt(edges.length)] : random.nextInt(81) - 40;
  }

  private BigInteger unscaled() {
    int bits = random.nextInt(4) == 0 ? random.nextInt(4000) : random.nextInt(70);
    BigInteger magnitude = new BigInteger(bits, random);
    return random.nextBoolean() ? magnitude.negate() : magnitude;
  }

  private long days() {
    return random.nextInt(5) == 0
        ? (random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE)
        : random.nextInt(200_000) - 100_000;
  }
}
