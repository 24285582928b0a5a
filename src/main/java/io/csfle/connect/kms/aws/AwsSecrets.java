package io.csfle.connect.kms.aws;

import io.csfle.connect.remote.SecretScrubber;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The AWS credentials a KEK configured or resolved (access key id, secret access key, session
 * token), for scrubbing server text: with a profile, the default chain or an assumed role the
 * secrets are only known once resolved, and an assumed role's session credentials change at every
 * refresh. The most recent {@value #REMEMBERED} values are kept; older ones are no longer in use.
 * Thread-safe.
 */
final class AwsSecrets {
  static final int REMEMBERED = 24;

  private final LinkedHashSet<String> secrets = new LinkedHashSet<>();
  private volatile SecretScrubber scrubber = SecretScrubber.NONE;

  /** {@code provider}'s credentials, remembered each time the SDK resolves them. */
  AwsCredentialsProvider watching(AwsCredentialsProvider provider) {
    return () -> {
      AwsCredentials credentials = provider.resolveCredentials();
      String token =
          credentials instanceof AwsSessionCredentials session ? session.sessionToken() : null;
      remember(credentials.accessKeyId(), credentials.secretAccessKey(), token);
      return credentials;
    };
  }

  /** Adds values known before any call (static keys), so early failures are scrubbed too. */
  synchronized void remember(String... values) {
    boolean changed = false;
    for (String value : values) {
      if (value != null && !value.isEmpty() && !secrets.contains(value)) {
        secrets.add(value);
        changed = true;
      }
    }
    if (changed) {
      List<String> recent = new ArrayList<>(secrets);
      while (recent.size() > REMEMBERED) {
        secrets.remove(recent.remove(0));
      }
      scrubber = SecretScrubber.of(recent);
    }
  }

  /** A scrubber for the credentials configured or resolved so far. */
  SecretScrubber scrubber() {
    return scrubber;
  }
}
