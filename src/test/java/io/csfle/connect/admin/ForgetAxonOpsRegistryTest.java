package io.csfle.connect.admin;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;

/** forget on the AxonOps registry flavour, which keeps one algorithm per subject. */
class ForgetAxonOpsRegistryTest extends ForgetRegistryTest {
  @Override
  InMemoryDekRegistryServer.Mode mode() {
    return InMemoryDekRegistryServer.Mode.AXONOPS;
  }

  @Override
  protected boolean keepsAlgorithmsApart() {
    return false;
  }
}
