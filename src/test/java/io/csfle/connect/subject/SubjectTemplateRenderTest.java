package io.csfle.connect.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectTemplateRenderTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("Row")
          .optional()
          .field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
          .field("n", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct().name("Envelope").field("before", ROW).field("after", ROW).build();

  private static SinkRecord record(Object key, Object value) {
    return new SinkRecord("orders", 0, null, key, null, value, 7L);
  }

  private static SinkRecord structRecord(Struct value) {
    return new SinkRecord("orders", 0, null, null, value.schema(), value, 7L);
  }

  private static Struct row(String customerId) {
    return new Struct(ROW).put("customer_id", customerId);
  }

  @Test
  void topicOnlyTemplate_rendersAndCachesPerTopic() {
    SubjectTemplate template = SubjectTemplate.parse("${topic}-value");

    String first = template.subjectOf(record(null, Map.of()));
    assertThat(first).isEqualTo("orders-value");
    assertThat(template.subjectOf(record(null, Map.of()))).isSameAs(first);
    assertThat(template.subjectForTopic("payments")).isEqualTo("payments-value");
  }

  @Test
  void topicOnlyTemplate_allocatesNothingPerRecord() {
    SubjectTemplate template = SubjectTemplate.parse("${topic}-value");
    SinkRecord record = record(null, Map.of());
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int calls = 100_000;
    template.subjectOf(record); // renders and caches the topic's subject

    long before = threads.getThreadAllocatedBytes(thread);
    int length = 0;
    for (int i = 0; i < calls; i++) {
      length += template.subjectOf(record).length();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(length).isEqualTo(calls * "orders-value".length());
    assertThat(allocated).as("bytes allocated by %d renders", calls).isLessThan(calls / 10);
  }

  @Test
  void recordDataTemplate_refusesAPerTopicSubject() {
    assertThatThrownBy(() -> SubjectTemplate.parse("c-${key}").subjectForTopic("orders"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everySource_rendersItsValue() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("tenant", "first").addString("tenant", "acme");
    Struct key = new Struct(SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build());
    key.put("id", 5);
    SinkRecord record =
        new SinkRecord(
            "orders",
            0,
            key.schema(),
            key,
            null,
            Map.of("customer", Map.of("id", "c1")),
            7L,
            null,
            null,
            headers);

    assertThat(
            SubjectTemplate.parse("${topic}/${key.id}/${value.customer.id}/${header.tenant}")
                .subjectOf(record))
        .as("the last header of a name wins")
        .isEqualTo("orders/5/c1/acme");
    assertThat(SubjectTemplate.parse("k-${key}").subjectOf(record(42L, null))).isEqualTo("k-42");
  }

  @Test
  void alternatives_takeTheFirstPresentNonEmptyValue() {
    SubjectTemplate template =
        SubjectTemplate.parse("customer-${value.after.customer_id|value.before.customer_id}");

    Struct insert = new Struct(ENVELOPE).put("after", row("c1"));
    Struct delete = new Struct(ENVELOPE).put("before", row("c1"));
    Struct emptyAfter = new Struct(ENVELOPE).put("before", row("c2")).put("after", row(""));

    assertThat(template.subjectOf(structRecord(insert))).isEqualTo("customer-c1");
    assertThat(template.subjectOf(structRecord(delete))).isEqualTo("customer-c1");
    assertThat(template.subjectOf(structRecord(emptyAfter))).isEqualTo("customer-c2");
  }

  @Test
  void missingData_failsNamingThePlaceholderAndSourcesButNoValue() {
    SubjectTemplate template = SubjectTemplate.parse("customer-${value.after.id|value.before.id}");
    Map<String, Object> value = new HashMap<>();
    value.put("after", null);
    value.put("secret", "4111-1111");

    assertThatThrownBy(() -> template.subjectOf(record(null, value)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("${value.after.id|value.before.id}")
        .hasMessageContaining("value.after.id, value.before.id")
        .hasMessageNotContaining("4111");
  }

  @Test
  void missingFieldOfAStruct_isMissingData() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.nope}");

    assertThatThrownBy(() -> template.subjectOf(structRecord(row("c1"))))
        .isInstanceOf(SubjectDataException.class)
        .hasMessageContaining("${value.nope}");
  }

  @Test
  void missingData_usesTheFallbackWhenSet() {
    SubjectTemplate template =
        SubjectTemplate.parse("c-${value.id}")
            .withFallback(SubjectTemplate.parse("${topic}-unassigned"));

    assertThat(template.subjectOf(record(null, Map.of()))).isEqualTo("orders-unassigned");
    assertThat(template.subjectOf(record(null, Map.of("id", "7")))).isEqualTo("c-7");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "../x;..%2Fx",
        "a|b;a%7Cb",
        "%;%25",
        "a/b;a%2Fb",
        "c-1;c-1",
        "A.b_c~d;A.b_c~d",
        "${topic};%24%7Btopic%7D",
        "é;%C3%A9",
        "\u20ac;%E2%82%AC",
        "\uD83D\uDE00;%F0%9F%98%80",
        "a b;a%20b",
      })
  void hostileOrNonAsciiValues_arePercentEncoded(String value, String encoded) {
    assertThat(SubjectTemplate.parse("c-${value.id}").subjectOf(record(null, Map.of("id", value))))
        .isEqualTo("c-" + encoded);
  }

  @Test
  void controlCharacters_arePercentEncoded() {
    assertThat(
            SubjectTemplate.parse("c-${value.id}")
                .subjectOf(record(null, Map.of("id", "a\n\u0000\tb\u007f"))))
        .isEqualTo("c-a%0A%00%09b%7F");
  }

  @Test
  void unpairedSurrogate_isRefused() {
    assertThatThrownBy(
            () ->
                SubjectTemplate.parse("c-${value.id}")
                    .subjectOf(record(null, Map.of("id", "a\uD800b"))))
        .isInstanceOf(SubjectDataException.class)
        .hasMessageContaining("source 'value.id'");
  }

  @Test
  void integersBooleansAndBytes_render() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.id}");

    assertThat(template.subjectOf(record(null, Map.of("id", (byte) -3)))).isEqualTo("c--3");
    assertThat(template.subjectOf(record(null, Map.of("id", (short) 12)))).isEqualTo("c-12");
    assertThat(template.subjectOf(record(null, Map.of("id", 12)))).isEqualTo("c-12");
    assertThat(template.subjectOf(record(null, Map.of("id", Long.MIN_VALUE))))
        .isEqualTo("c-" + Long.MIN_VALUE);
    assertThat(template.subjectOf(record(null, Map.of("id", true)))).isEqualTo("c-true");
    assertThat(
            template.subjectOf(record(null, Map.of("id", new byte[] {(byte) 0xfb, (byte) 0xff}))))
        .as("unpadded base64url")
        .isEqualTo("c--_8");
    assertThat(
            template.subjectOf(
                record(null, Map.of("id", ByteBuffer.wrap(new byte[] {(byte) 0xfb, (byte) 0xff})))))
        .isEqualTo("c--_8");
  }

  @Test
  void emptyBytes_countAsMissing() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.id|value.other}");
    assertThat(template.subjectOf(record(null, Map.of("id", new byte[0], "other", 3))))
        .isEqualTo("c-3");
  }

  @Test
  void structMapListAndOtherTypes_areRefusedWithoutTheirValue() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.id}");

    assertThatThrownBy(() -> template.subjectOf(record(null, Map.of("id", row("secret-1")))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("a Struct")
        .hasMessageContaining("source 'value.id' of placeholder ${value.id}")
        .hasMessageNotContaining("secret-1");
    assertThatThrownBy(
            () -> template.subjectOf(record(null, Map.of("id", Map.of("a", "secret-2")))))
        .hasMessageContaining("a map")
        .hasMessageNotContaining("secret-2");
    assertThatThrownBy(() -> template.subjectOf(record(null, Map.of("id", List.of("secret-3")))))
        .hasMessageContaining("an array")
        .hasMessageNotContaining("secret-3");
    assertThatThrownBy(() -> template.subjectOf(record(null, Map.of("id", 1.5d))))
        .hasMessageContaining("Double");
    assertThatThrownBy(() -> SubjectTemplate.parse("c-${key}").subjectOf(record(row("k"), null)))
        .hasMessageContaining("source 'key'");
  }

  @Test
  void veryLongValue_failsWithoutQuotingIt() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.id}");
    String atLimit = "x".repeat(SubjectTemplate.MAX_LENGTH - 2);
    String tooLong = "y".repeat(1_000_000);

    assertThat(template.subjectOf(record(null, Map.of("id", atLimit)))).hasSize(255);
    assertThatThrownBy(() -> template.subjectOf(record(null, Map.of("id", atLimit + "x"))))
        .isInstanceOf(SubjectDataException.class)
        .hasMessageContaining("longer than 255");
    assertThatThrownBy(() -> template.subjectOf(record(null, Map.of("id", tooLong))))
        .isInstanceOf(SubjectDataException.class)
        .hasMessageNotContaining("yyy");
  }

  @Test
  void valueThatGrowsWhenEncoded_isMeasuredAfterEncoding() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.id}");
    String slashes = "/".repeat(100); // 100 characters, 300 once encoded

    assertThatThrownBy(() -> template.subjectOf(record(null, Map.of("id", slashes))))
        .isInstanceOf(SubjectDataException.class)
        .hasMessageContaining("longer than 255");
  }

  @Test
  void twoCustomers_getTwoSubjects_andOneCustomerAlwaysTheSame() {
    SubjectTemplate template = SubjectTemplate.parse("customer-${value.customer_id}");

    String a = template.subjectOf(structRecord(row("a")));
    String b = template.subjectOf(structRecord(row("b")));
    assertThat(a).isNotEqualTo(b);
    assertThat(template.subjectOf(structRecord(row("a")))).isEqualTo(a);
  }
}
