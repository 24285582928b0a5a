package io.csfle.connect.dek;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The project's one in-memory DEK store (the in-process registry server in Confluent mode, whose
 * rules are written once) seen through the REST client, counting the DEK layer's calls, for unit
 * tests of the DEK layer. {@link #beforeCreateDek} lets a test slip a competing writer's DEK in
 * first; {@link #failCreateDek} makes creates fail. Close it to stop the server.
 */
final class InMemoryDekStore extends ForwardingDekStore {
  private final InMemoryDekRegistryServer server;
  private final RestDekStore otherWriter;
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger createDekCalls = new AtomicInteger();
  volatile Runnable beforeCreateDek = () -> {};
  volatile RuntimeException failCreateDek;

  InMemoryDekStore() {
    this(InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT));
  }

  private InMemoryDekStore(InMemoryDekRegistryServer server) {
    super(new RestDekStore(RegistryClientConfig.of(server.url())));
    this.server = server;
    this.otherWriter = new RestDekStore(RegistryClientConfig.of(server.url()));
  }

  /** A second, uncounted client of the same in-memory store; the caller closes it. */
  DekStoreAdmin anotherClient() {
    return new RestDekStore(RegistryClientConfig.of(server.url()));
  }

  /** The store's clock: creation times of KEKs and DEKs, epoch milliseconds. */
  void clock(LongSupplier clock) {
    server.clock(clock);
  }

  /** Stores a DEK directly, as another writer would (uncounted); CONFLICT if the version exists. */
  RegisteredDek put(NewDek dek) {
    return otherWriter.createDek(dek);
  }

  /** The KEK as stored, deleted or not (uncounted). */
  Optional<RegisteredKek> storedKek(String name) {
    return otherWriter.getKek(name, true);
  }

  /** Soft-deletes one version, as a key operator would (uncounted). */
  void softDelete(DekSubject dek, int version) {
    otherWriter.deleteDekVersion(dek, version, false);
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    calls.incrementAndGet();
    return super.getKek(name, includeDeleted);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    calls.incrementAndGet();
    return super.createKek(kek);
  }

  @Override
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    calls.incrementAndGet();
    return super.getDek(dek, version, includeDeleted);
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    calls.incrementAndGet();
    return super.getLatestDek(dek, includeDeleted);
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    calls.incrementAndGet();
    return super.listDekVersions(dek, includeDeleted);
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    calls.incrementAndGet();
    createDekCalls.incrementAndGet();
    beforeCreateDek.run();
    RuntimeException failure = failCreateDek;
    if (failure != null) {
      throw failure;
    }
    return super.createDek(dek);
  }

  @Override
  public RegisteredDek rewrapDek(NewDek dek) {
    calls.incrementAndGet();
    return super.rewrapDek(dek);
  }

  @Override
  public void close() {
    super.close();
    otherWriter.close();
    server.close();
  }
}
