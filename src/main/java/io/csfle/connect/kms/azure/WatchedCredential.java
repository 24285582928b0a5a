package io.csfle.connect.kms.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.csfle.connect.remote.SecretScrubber;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenCredential} that remembers the access tokens it hands out, so that server text can
 * be scrubbed of the bearer token actually sent: a Key Vault endpoint that echoes the {@code
 * Authorization} header must not get the token into an exception or a log. Keeps the configured
 * client secret, the current token and the one before (a token may still be echoed after renewal).
 */
final class WatchedCredential implements TokenCredential {
  private final TokenCredential delegate;
  private final String clientSecret;
  private volatile String current;
  private volatile SecretScrubber scrubber;

  WatchedCredential(TokenCredential delegate, String clientSecret) {
    this.delegate = delegate;
    this.clientSecret = clientSecret;
    this.scrubber = SecretScrubber.of(clientSecret);
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return delegate.getToken(request).doOnNext(this::remember);
  }

  /** The configured secret and the tokens seen lately. */
  SecretScrubber scrubber() {
    return scrubber;
  }

  private synchronized void remember(AccessToken token) {
    String value = token.getToken();
    if (value != null && !value.equals(current)) {
      // Registered before the SDK sends it: the token reaches a request only after this returns.
      scrubber = SecretScrubber.of(clientSecret, current, value);
      current = value;
    }
  }
}
