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

  @Test
  void elementStep_isItsOwnSegment() {
    assertThat(FieldPath.parse("tags[*]").segments()).containsExactly("tags", "[*]");
  }

  @Test
  void elementStepThenField_splitsIntoSegments() {
    assertThat(FieldPath.parse("items[*].sku").segments()).containsExactly("items", "[*]", "sku");
  }

  @Test
  void nestedElementSteps_splitIntoSegments() {
    assertThat(FieldPath.parse("orders[*].lines[*].sku").segments())
        .containsExactly("orders", "[*]", "lines", "[*]", "sku");
    assertThat(FieldPath.parse("matrix[*][*]").segments()).containsExactly("matrix", "[*]", "[*]");
  }

  @Test
  void elementPath_toString_returnsTheOriginalText() {
    assertThat(FieldPath.parse("orders[*].lines[*].sku")).hasToString("orders[*].lines[*].sku");
  }

  @Test
  void escapedElementStep_isALiteralNameNotAnElementStep() {
    FieldPath literal = FieldPath.parse("a\\[*\\]");

    assertThat(literal.segments()).containsExactly("a[*]");
    assertThat(literal).isNotEqualTo(FieldPath.parse("a[*]"));
  }

  @Test
  void elementStepAfterEscapedBracket_isAnElementStep() {
    assertThat(FieldPath.parse("a\\[[*]").segments()).containsExactly("a[", "[*]");
  }

  @Test
  void sameElementPath_isEqualWithSameHashCode() {
    assertThat(FieldPath.parse("items[*].sku"))
        .isEqualTo(FieldPath.parse("items[*].sku"))
        .hasSameHashCodeAs(FieldPath.parse("items[*].sku"))
        .isNotEqualTo(FieldPath.parse("items.sku"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"items[0]", "tags[]", "a[x].b", "a[**]", "a[ *]"})
  void bracketWithoutStar_isRejectedQuotingIt(String text) {
    String bracket = text.substring(text.indexOf('['), text.indexOf(']') + 1);

    assertThatThrownBy(() -> FieldPath.parse(text))
        .isInstanceOf(FieldPathException.class)
        .hasMessageStartingWith("Invalid field path '" + text + "': ")
        .hasMessageContaining("'" + bracket + "' at index " + text.indexOf('['))
        .hasMessageContaining("only [*]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[*]", "[*].sku", "[*][*]"})
  void pathStartingWithElementStep_isRejected(String text) {
    assertThatThrownBy(() -> FieldPath.parse(text))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("starts with '['")
        .hasMessageContaining("a path starts with a field name");
  }

  @Test
  void elementStepAfterDot_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse("items.[*]"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'items.[*]'")
        .hasMessageContaining("'[' at index 6 follows a dot");
  }

  @Test
  void nameDirectlyAfterElementStep_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse("items[*]sku"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'items[*]sku'")
        .hasMessageContaining("'s' at index 8 follows '[*]'; expected '.' or '['");
  }

  @Test
  void unclosedBracket_isRejected() {
    assertThatThrownBy(() -> FieldPath.parse("items[*"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'[' at index 5 is never closed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a]b", "items]", "items[*]]"})
  void strayClosingBracket_isRejected(String text) {
    assertThatThrownBy(() -> FieldPath.parse(text))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("']' at index " + text.lastIndexOf(']'));
  }

  @ParameterizedTest
  @ValueSource(strings = {"items[*].", "items[*]..sku"})
  void emptyNameAfterElementStep_isRejected(String text) {
    assertThatThrownBy(() -> FieldPath.parse(text))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("empty field name");
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
        .isInstanceOfSatisfying(FieldPathException.class, e -> assertThat(e.path()).isEmpty());
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
  void parseAll_elementPathAndPathBelowIt_overlap() {
    assertThatThrownBy(() -> FieldPath.parseAll(List.of("items[*].sku", "items[*]")))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e).hasMessageContaining("'items[*]' and 'items[*].sku' overlap");
              assertThat(e.path()).contains(FieldPath.parse("items[*].sku"));
            });
  }

  @Test
  void parseAll_wholeContainerAndItsElements_overlap() {
    assertThatThrownBy(() -> FieldPath.parseAll(List.of("items", "items[*]")))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'items' and 'items[*]' overlap");
  }

  @Test
  void parseAll_elementPathListedTwice_isRejected() {
    assertThatThrownBy(() -> FieldPath.parseAll(List.of("tags[*]", "tags[*]")))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'tags[*]' is listed twice");
  }

  @Test
  void parseAll_everyMapValueAndOneKey_overlapInEitherOrder() {
    for (List<String> texts :
        List.of(List.of("attrs[*]", "attrs.ssn"), List.of("attrs.ssn", "attrs[*]"))) {
      assertThatThrownBy(() -> FieldPath.parseAll(texts))
          .isInstanceOfSatisfying(
              FieldPathException.class,
              e -> {
                assertThat(e)
                    .hasMessageContaining("'attrs[*]' and 'attrs.ssn' overlap")
                    .hasMessageContaining("every element of 'attrs'");
                assertThat(e.path()).contains(FieldPath.parse("attrs.ssn"));
              });
    }
  }

  @Test
  void parseAll_elementsAndNamesBelowTheSameContainer_areRejected() {
    assertThatThrownBy(() -> FieldPath.parseAll(List.of("a.b[*].x", "a.b.k.y")))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'a.b[*].x' and 'a.b.k.y' overlap")
        .hasMessageContaining("step into 'a.b' one way");
  }

  @Test
  void parseAll_siblingPathsBelowElements_areAccepted() {
    assertThat(
            FieldPath.parseAll(
                List.of("items[*].sku", "items[*].qty", "orders[*].lines[*].sku", "tags[*]")))
        .hasSize(4);
  }

  @Test
  void parseAll_literalBracketNameAndElementStep_areAccepted() {
    assertThat(FieldPath.parseAll(List.of("a\\[*\\]", "a[*]"))).hasSize(2);
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
