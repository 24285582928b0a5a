package io.csfle.connect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderSelectionTest {

  @Test
  void exactNames_matchOnlyThemselves_caseIncluded() {
    HeaderSelection selection = HeaderSelection.of(List.of("user-id", "Email"));

    assertThat(selection.selects("user-id")).isTrue();
    assertThat(selection.selects("Email")).isTrue();
    assertThat(selection.selects("email")).isFalse();
    assertThat(selection.selects("user-id2")).isFalse();
    assertThat(selection.selects(null)).isFalse();
  }

  @Test
  void globStar_matchesAnyRunIncludingNone_andOtherCharactersLiterally() {
    HeaderSelection selection = HeaderSelection.of(List.of("pii-*", "*-email", "a.b*c"));

    assertThat(selection.selects("pii-")).isTrue();
    assertThat(selection.selects("pii-ssn")).isTrue();
    assertThat(selection.selects("work-email")).isTrue();
    assertThat(selection.selects("a.bXYc")).isTrue();
    assertThat(selection.selects("aXbc")).isFalse(); // the dot is not a regex wildcard
    assertThat(selection.selects("email")).isFalse();
    assertThat(selection.selects("PII-ssn")).isFalse();
  }

  @Test
  void patterns_neverSelectPropagationHeaders_inAnyCase_butExactNamesDo() {
    HeaderSelection everything = HeaderSelection.of(List.of("*"));
    for (String name :
        List.of("traceparent", "TraceState", "baggage", "b3", "X-B3-TraceId", "uber-trace-id")) {
      assertThat(everything.selects(name)).as(name).isFalse();
    }
    assertThat(everything.selects("user-id")).isTrue();

    HeaderSelection named = HeaderSelection.of(List.of("*", "baggage"));
    assertThat(named.selects("baggage")).isTrue();
    assertThat(named.selects("Baggage")).isFalse();
  }

  @Test
  void emptyListOrEntry_isRefused() {
    assertThatThrownBy(() -> HeaderSelection.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HeaderSelection.of(List.of("a", " ")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
