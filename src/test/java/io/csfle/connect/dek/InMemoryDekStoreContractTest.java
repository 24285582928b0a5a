package io.csfle.connect.dek;

import static io.csfle.connect.store.StoreTestData.dek;
import static io.csfle.connect.store.StoreTestData.kek;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreContract;
import org.junit.jupiter.api.Test;

/**
 * The store contract for the in-memory store the DEK-layer tests use, counters and hooks in place:
 * a fake that drifted from the real stores' rules would make those tests prove nothing.
 */
class InMemoryDekStoreContractTest extends DekStoreContract {
  private InMemoryDekStore fake;

  @Override
  protected DekStoreAdmin openStore() {
    fake = new InMemoryDekStore();
    return fake;
  }

  @Override
  protected DekStoreAdmin anotherClient() {
    return fake.anotherClient();
  }

  @Test
  void dataPlaneCalls_areCounted_writesOfAnotherWriterAreNot() {
    fake.createKek(kek("k1"));
    fake.put(dek("s", 1));

    fake.getLatestDek(dek("s", 1).dekSubject(), false);

    assertThat(fake.calls).hasValue(2);
    assertThat(fake.createDekCalls).hasValue(0);
  }
}
