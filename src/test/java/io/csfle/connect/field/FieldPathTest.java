package io.csfle.connect.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

  @Test
  void singleName_hasOneSegment() {
    assertThat(FieldPath.parse("email").segments()).containsExactly("email");
  }

  @Test
  void dottedPath_splitsIntoSegments() {
    assertThat(FieldPath.parse("customer.address.zip").segments())
        .containsExactly("customer", "address", "zip");
  }

  @Test
  void escapedDot_isPartOfTheName() {
    assertThat(FieldPath.parse("a\\.b.c").segments()).containsExactly("a.b", "c");
  }

  @Test
  void escapedBackslash_isPartOfTheName() {
    assertThat(FieldPath.parse("a\\\\.b").segments()).containsExactly("a\\", "b");
  }

  @Test
  void escapedBrackets_arePartOfTheName() {
    assertThat(FieldPath.parse("items\\[0\\].sku").segments()).containsExactly("items[0]", "sku");
  }

  @Test
  void namesWithSpacesAndUnicode_areTakenVerbatim() {
    assertThat(FieldPath.parse(" first name .ünïcødé").segments())
        .containsExactly(" first name ", "ünïcødé");
  }

  @Test
  void toString_returnsTheOriginalText() {
    assertThat(FieldPath.parse("a\\.b.c")).hasToString("a\\.b.c");
  }

  @Test
  void segments_cannotBeModified() {
    List<String> segments = FieldPath.parse("a.b").segments();

    assertThatThrownBy(() -> segments.add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void samePath_isEqualWithSameHashCode() {
    FieldPath one = FieldPath.parse("customer.email");
    FieldPath other = FieldPath.parse("customer.email");

    assertThat(one).isEqualTo(other).hasSameHashCodeAs(other);
  }

  @Test
  void escapedDotAndSeparatorDot_areNotEqual() {
    assertThat(FieldPath.parse("a\\.b")).isNotEqualTo(FieldPath.parse("a.b"));
  }

  @Test
  void emptyText_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse(""))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("must not be empty");
  }

  @Test
  void nullText_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse(null))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a..b", ".a", "a.", ".", "a.b."})
  void emptySegment_isRejectedQuotingTheText(String text) {
    assertThatThrownBy(() -> FieldPath.parse(text))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("empty field name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"items[*].sku", "items[0]", "a]b", "tags[]"})
  void unescapedBracket_isRejectedAsNotYetSupported(String text) {
    assertThatThrownBy(() -> FieldPath.parse(text))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("not supported yet");
  }

  @Test
  void danglingBackslash_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse("a.b\\"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'a.b\\'")
        .hasMessageContaining("lone backslash");
  }

  @Test
  void unknownEscape_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse("a\\nb"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("unknown escape '\\n' at index 1");
  }

  @Test
  void parseErrors_carryNoPath() {
    assertThatThrownBy(() -> FieldPath.parse("a..b"))
        .isInstanceOfSatisfying(
            FieldPathException.class, e -> assertThat(e.path()).isEmpty());
  }

  @Test
  void parseAll_keepsOrder() {
    assertThat(FieldPath.parseAll(Arrays.asList("b", "a.x", "a.y")))
        .containsExactly(FieldPath.parse("b"), FieldPath.parse("a.x"), FieldPath.parse("a.y"));
  }

  @Test
  void parseAll_emptyList_isEmpty() {
    assertThat(FieldPath.parseAll(List.of())).isEmpty();
  }

  @Test
  void parseAll_duplicate_isRejected() {
    assertThatThrownBy(() -> FieldPath.parseAll(List.of("a.b", "c", "a.b")))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e).hasMessageContaining("'a.b' is listed twice");
              assertThat(e.path()).contains(FieldPath.parse("a.b"));
            });
  }

  @Test
  void parseAll_pathContainingAnother_isRejectedInEitherOrder() {
    for (List<String> texts :
        List.of(List.of("customer", "customer.email"), List.of("customer.email", "customer"))) {
      assertThatThrownBy(() -> FieldPath.parseAll(texts))
          .isInstanceOf(FieldPathException.class)
          .hasMessageContaining("'customer' and 'customer.email' overlap");
    }
  }

  @Test
  void parseAll_siblingsAndSharedPrefixText_areAccepted() {
    // "customer" is not a path prefix of "customerId": prefixes are compared by segment.
    assertThat(FieldPath.parseAll(List.of("customer.email", "customer.phone", "customerId")))
        .hasSize(3);
  }

  @Test
  void parseAll_escapedDotDoesNotCreatePrefix() {
    assertThat(FieldPath.parseAll(List.of("a", "a\\.b"))).hasSize(2);
  }

  @Test
  void parseAll_malformedEntry_isRejected() {
    assertThatThrownBy(() -> FieldPath.parseAll(List.of("ok", "bad..path")))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'bad..path'");
  }

  @Test
  void parseAll_nullList_isRejected() {
    assertThatThrownBy(() -> FieldPath.parseAll(null)).isInstanceOf(FieldPathException.class);
  }
}
