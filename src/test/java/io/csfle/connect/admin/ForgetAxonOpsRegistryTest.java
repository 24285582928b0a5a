package io.csfle.connect.admin;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;

/** forget on a registry that accepts KEK names with a dot, so {@code <kek>.entities} can exist. */
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
