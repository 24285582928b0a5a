package io.csfle.connect.subject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.field.FieldPath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectTemplateParseTest {

  @Test
  void everySourceForm_parsesToItsKind() {
    SubjectTemplate template =
        SubjectTemplate.parse(
            "x-${topic}-${key}-${key.id}-${value.after.customer_id|value.before.customer_id}"
                + "-${header.tenant}");

    assertThat(template.sources())
        .extracting(SubjectSource::kind)
        .containsExactly(
            SubjectSource.Kind.TOPIC,
            SubjectSource.Kind.KEY,
            SubjectSource.Kind.KEY_FIELD,
            SubjectSource.Kind.VALUE_FIELD,
            SubjectSource.Kind.VALUE_FIELD,
            SubjectSource.Kind.HEADER);
    assertThat(template.sources().get(3).path()).isEqualTo(FieldPath.parse("after.customer_id"));
    assertThat(template.sources().get(5).header()).isEqualTo("tenant");
    assertThat(template.readsRecordData()).isTrue();
  }

  @Test
  void topicOnlyTemplates_readNoRecordData() {
    assertThat(SubjectTemplate.parse("${topic}-value").readsRecordData()).isFalse();
    assertThat(SubjectTemplate.parse("plain").readsRecordData()).isFalse();
    assertThat(SubjectTemplate.parse("${topic}-$-{x}").readsRecordData()).isFalse();
    assertThat(SubjectTemplate.parse("${topic}-${header.h}").readsRecordData()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "customer-${value.id;never closed",
        "customer-${};empty placeholder ${}",
        "customer-${value.a||value.b};empty source",
        "customer-${value.a|};empty source",
        "customer-${|value.a};empty source",
        "customer-${values.id};unknown source 'values.id'",
        "customer-${value};unknown source 'value'",
        "customer-${header.};unknown source 'header.'",
        "customer-${Topic};unknown source 'Topic'",
        "customer-${value.a..b};source 'value.a..b'",
        "customer-${value.items[*].id};[*] names many values",
        "customer-${topic|value.id};after 'topic' is never used",
        "customer-${value.a${value.b}};placeholders do not nest",
      })
  void malformedTemplate_isRefusedNamingTheProblem(String template, String problem) {
    assertThatThrownBy(() -> SubjectTemplate.parse(template))
        .isInstanceOf(SubjectTemplateException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void emptyTemplate_isRefused() {
    assertThatThrownBy(() -> SubjectTemplate.parse(""))
        .isInstanceOf(SubjectTemplateException.class)
        .hasMessageContaining("must not be empty");
  }

  @Test
  void fallbackReadingRecordData_isRefused() {
    SubjectTemplate template = SubjectTemplate.parse("c-${value.id}");
    assertThatThrownBy(() -> template.withFallback(SubjectTemplate.parse("${value.other}")))
        .isInstanceOf(SubjectTemplateException.class)
        .hasMessageContaining("may use only ${topic}");
  }

  @Test
  void valueSourceOverlappingAValueField_conflictsOnTheValueSide() {
    List<FieldPath> fields = List.of(FieldPath.parse("customer.email"), FieldPath.parse("tags[*]"));

    assertThat(SubjectTemplate.parse("c-${value.customer.email}").conflictWith(fields, false))
        .contains("value.customer.email");
    assertThat(SubjectTemplate.parse("c-${value.customer}").conflictWith(fields, false))
        .as("above an encrypted field")
        .contains("'customer.email'");
    assertThat(SubjectTemplate.parse("c-${value.customer.email.x}").conflictWith(fields, false))
        .as("under an encrypted field")
        .isNotNull();
    assertThat(SubjectTemplate.parse("c-${value.tags.k}").conflictWith(fields, false))
        .as("[*] of fields matches any name")
        .isNotNull();
    assertThat(SubjectTemplate.parse("c-${value.id|value.customer}").conflictWith(fields, false))
        .as("any alternative")
        .isNotNull();
    assertThat(SubjectTemplate.parse("c-${value.customer.id}").conflictWith(fields, false))
        .isNull();
    assertThat(SubjectTemplate.parse("c-${key.customer.email}").conflictWith(fields, false))
        .as("the key is not what a $Value transform changes")
        .isNull();
    assertThat(SubjectTemplate.parse("c-${key}").conflictWith(fields, false)).isNull();
  }

  @Test
  void keySources_conflictOnTheKeySide() {
    List<FieldPath> fields = List.of(FieldPath.parse("ssn"));

    assertThat(SubjectTemplate.parse("c-${key}").conflictWith(fields, true))
        .contains("source 'key'");
    assertThat(SubjectTemplate.parse("c-${key.ssn}").conflictWith(fields, true))
        .contains("key.ssn");
    assertThat(SubjectTemplate.parse("c-${key.id}").conflictWith(fields, true)).isNull();
    assertThat(SubjectTemplate.parse("c-${value.ssn}").conflictWith(fields, true)).isNull();
  }
}
