package io.csfle.connect.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link MisbehavingHttpServer}s for a test and closes them after it, with any client the
 * test hands in, so a row that stalls cannot outlive its test.
 *
 * <pre>{@code
 * @RegisterExtension final MisbehavingServers servers = new MisbehavingServers();
 * MisbehavingHttpServer server = servers.http(RemoteMisbehaviour.stallBeforeHeaders());
 * }</pre>
 */
public final class MisbehavingServers implements AfterEachCallback {
  private final List<AutoCloseable> open = new ArrayList<>();

  /** A plain HTTP server that makes {@code move}, closed after the test. */
  public MisbehavingHttpServer http(RemoteMisbehaviour move) throws Exception {
    return closeAfter(MisbehavingHttpServer.http(move.behaviour()));
  }

  /** Closes {@code resource} after the test, after whatever was handed in before it. */
  public <T extends AutoCloseable> T closeAfter(T resource) {
    open.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      for (AutoCloseable resource : open) {
        resource.close();
      }
    } finally {
      open.clear();
    }
  }
}
