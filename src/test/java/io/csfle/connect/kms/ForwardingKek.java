package io.csfle.connect.kms;

/** A KEK that forwards to another and tells tests about each call and its close. */
public final class ForwardingKek implements Kek {
  private final Kek delegate;
  private final Runnable onCall;
  private final Runnable onClose;

  public ForwardingKek(Kek delegate, Runnable onCall, Runnable onClose) {
    this.delegate = delegate;
    this.onCall = onCall;
    this.onClose = onClose;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    onCall.run();
    return delegate.wrap(keyMaterial);
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    onCall.run();
    return delegate.unwrap(encryptedKeyMaterial);
  }

  @Override
  public void close() {
    onClose.run();
  }
}
