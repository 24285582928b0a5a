package io.csfle.connect.store.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.RegistryClientConfig.BasicAuthSource;
import io.csfle.connect.store.rest.RegistryClientConfig.BearerAuthSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

  @Test
  void of_appliesDefaults() {
    RegistryClientConfig config = RegistryClientConfig.of("http://sr:8081");

    assertThat(config.baseUrls()).containsExactly("http://sr:8081");
    assertThat(config.maxRetries()).isEqualTo(3);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.connectTimeout()).isPositive();
    assertThat(config.requestTimeout()).isPositive();
    assertThat(config.basicAuthSource()).isEqualTo(BasicAuthSource.NONE);
    assertThat(config.bearerAuthSource()).isEqualTo(BearerAuthSource.NONE);
    assertThat(config.authorizationHeader(0)).isNull();
  }

  @Test
  void urls_splitOnCommasTrimmedAndTrailingSlashesStripped() {
    RegistryClientConfig config =
        RegistryClientConfig.of(" http://a:8081/ ,https://b.example/sr//,, http://c ");

    assertThat(config.baseUrls())
        .containsExactly("http://a:8081", "https://b.example/sr", "http://c");
  }

  @Test
  void urls_noneOrBadScheme_rejected() {
    assertThatThrownBy(() -> RegistryClientConfig.of(" , "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryClientConfig.of("ftp://sr:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> RegistryClientConfig.of("http://sr:8081?x=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userInfoInUrl_alwaysStrippedButOnlyUsedWithUrlSource() {
    String urls = "http://u1:p1@a:8081,http://b:8081";

    RegistryClientConfig url =
        RegistryClientConfig.builder(urls).basicAuth(BasicAuthSource.URL, null).build();
    RegistryClientConfig none = RegistryClientConfig.of(urls);

    assertThat(url.baseUrls()).containsExactly("http://a:8081", "http://b:8081");
    assertThat(url.authorizationHeader(0)).isEqualTo("Basic dTE6cDE="); // u1:p1
    assertThat(url.authorizationHeader(1)).isNull();
    assertThat(none.baseUrls()).containsExactly("http://a:8081", "http://b:8081");
    assertThat(none.authorizationHeader(0)).isNull();
  }

  @Test
  void urlSourceWithoutUserInfo_rejected() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.builder("http://a:8081")
                    .basicAuth(BasicAuthSource.URL, null)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("basic.auth.credentials.source=URL");
  }

  @Test
  void userInfoSource_sameHeaderForEveryUrl() {
    RegistryClientConfig config =
        RegistryClientConfig.builder("http://a,http://b")
            .basicAuth(BasicAuthSource.USER_INFO, "user:pa:ss")
            .build();

    assertThat(config.authorizationHeader(0)).isEqualTo("Basic dXNlcjpwYTpzcw==");
    assertThat(config.authorizationHeader(1)).isEqualTo(config.authorizationHeader(0));
  }

  @Test
  void userInfoSourceWithoutColon_rejectedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.builder("http://a")
                    .basicAuth(BasicAuthSource.USER_INFO, "justasecret")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("basic.auth.user.info")
        .hasMessageNotContaining("justasecret");
  }

  @Test
  void bearerToken_andBothSourcesRejected() {
    RegistryClientConfig config =
        RegistryClientConfig.builder("http://a")
            .bearerAuth(BearerAuthSource.STATIC_TOKEN, " tok ")
            .build();
    assertThat(config.authorizationHeader(0)).isEqualTo("Bearer tok");

    assertThatThrownBy(
            () ->
                RegistryClientConfig.builder("http://a")
                    .bearerAuth(BearerAuthSource.STATIC_TOKEN, "tok")
                    .basicAuth(BasicAuthSource.USER_INFO, "u:p")
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                RegistryClientConfig.builder("http://a")
                    .bearerAuth(BearerAuthSource.STATIC_TOKEN, " ")
                    .build())
        .hasMessageContaining("bearer.auth.token");
  }

  @Test
  void sources_parseConfluentValuesCaseInsensitively() {
    assertThat(BasicAuthSource.parse("user_info")).isEqualTo(BasicAuthSource.USER_INFO);
    assertThat(BasicAuthSource.parse("URL")).isEqualTo(BasicAuthSource.URL);
    assertThat(BasicAuthSource.parse("")).isEqualTo(BasicAuthSource.NONE);
    assertThat(BearerAuthSource.parse("static_token")).isEqualTo(BearerAuthSource.STATIC_TOKEN);
    assertThatThrownBy(() -> BasicAuthSource.parse("SASL_INHERIT"))
        .hasMessageContaining("basic.auth.credentials.source");
  }

  @Test
  void toString_neverShowsCredentials() {
    RegistryClientConfig url =
        RegistryClientConfig.builder("http://u1:hunter2@a")
            .basicAuth(BasicAuthSource.URL, null)
            .build();
    RegistryClientConfig bearer =
        RegistryClientConfig.builder("http://a")
            .bearerAuth(BearerAuthSource.STATIC_TOKEN, "hunter2")
            .build();

    assertThat(url.toString()).doesNotContain("hunter2").doesNotContain("u1");
    assertThat(bearer.toString()).doesNotContain("hunter2");
  }

  @Test
  void retryAndTimeoutSettings_validated() {
    RegistryClientConfig.Builder b = RegistryClientConfig.builder("http://a");
    assertThatThrownBy(() -> b.maxRetries(-1).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> RegistryClientConfig.builder("http://a").requestTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                RegistryClientConfig.builder("http://a")
                    .initialBackoff(Duration.ofSeconds(2))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scrubber_removesEveryConfiguredCredentialInItsWireForms() {
    RegistryClientConfig basic =
        RegistryClientConfig.builder("http://sr:8081")
            .basicAuth(BasicAuthSource.USER_INFO, "alice:pw-Basic-9")
            .build();
    RegistryClientConfig bearer =
        RegistryClientConfig.builder("http://sr:8081")
            .bearerAuth(BearerAuthSource.STATIC_TOKEN, " tok-Bearer-9 ")
            .build();
    RegistryClientConfig url =
        RegistryClientConfig.builder("http://bob:p%40ss-Url-9@a:8081")
            .basicAuth(BasicAuthSource.URL, null)
            .build();

    assertThat(basic.scrubber().scrub("pw-Basic-9 / " + basic.authorizationHeader(0)))
        .isEqualTo("[redacted] / Basic [redacted]");
    assertThat(bearer.scrubber().scrub(bearer.authorizationHeader(0)))
        .isEqualTo("Bearer [redacted]");
    assertThat(url.scrubber().scrub("p@ss-Url-9 p%40ss-Url-9 " + url.authorizationHeader(0)))
        .isEqualTo("[redacted] [redacted] Basic [redacted]");
    assertThat(RegistryClientConfig.of("http://sr:8081").scrubber().scrub("alice:x"))
        .isEqualTo("alice:x");
  }

  @Test
  void portOutOfRange_refusedWithoutThePassword() {
    for (String url :
        new String[] {"http://u:pw-secret@host:99999", "https://u:pw-secret@host:0/x"}) {
      assertThatThrownBy(() -> RegistryClientConfig.of(url))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside 1-65535")
          .hasMessageNotContaining("pw-secret");
    }
  }

  @Test
  void bearerTokenWithALineBreak_refusedWithoutTheToken() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.builder("http://registry:8081")
                    .bearerAuth(BearerAuthSource.STATIC_TOKEN, "tok-part1\ntok-part2")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bearer.auth.token")
        .hasMessageNotContaining("tok-part");
  }
}
