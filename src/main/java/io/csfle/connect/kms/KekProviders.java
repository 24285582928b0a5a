package io.csfle.connect.kms;

import io.csfle.connect.kms.aws.AwsKekProvider;
import io.csfle.connect.kms.azure.AzureKekProvider;
import io.csfle.connect.kms.gcp.GcpKekProvider;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.kms.vault.VaultKekProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The explicit table of KMS types this plugin supports. Providers are listed in code, never
 * discovered from the classpath, so that a planted class cannot intercept key material.
 */
public final class KekProviders {
  /**
   * Confluent's name of the alternate key ids, as a client setting and in a KEK's registered {@code
   * kmsProps}: comma-separated key ids of the same KMS type, tried in order after the KEK's own.
   */
  public static final String ALTERNATE_KEY_IDS_PROPERTY = "encrypt.alternate.kms.key.ids";

  /**
   * The provider settings a client takes from a KEK's registered {@code kmsProps}: where the key is
   * (region, namespace, multi-region behaviour) and which role or profile reaches it. Settings that
   * redirect KMS traffic or carry credentials ({@code endpoint}, {@code sts.endpoint}, CA and
   * credential file paths, tokens, secrets) are never taken from the registry: a registry that
   * could set them could send plaintext DEKs to a server of its choice or make a writer use a DEK
   * it chose. Those come from the client's own configuration only.
   */
  public static final Set<String> REGISTERED_SETTINGS =
      Set.of(
          ALTERNATE_KEY_IDS_PROPERTY,
          AwsKekProvider.REGION,
          AwsKekProvider.DISABLE_DYNAMIC_MRK,
          AwsKekProvider.PROFILE,
          AwsKekProvider.ROLE_ARN,
          AwsKekProvider.ROLE_SESSION_NAME,
          AwsKekProvider.ROLE_EXTERNAL_ID,
          VaultKekProvider.NAMESPACE_PROPERTY,
          AzureKekProvider.KEY_VERSION_SAVE,
          GcpKekProvider.ACCOUNT_TYPE);

  private final Map<String, KekProvider> byType;
  private final KmsRetryPolicy retryPolicy;
  private final KmsCallListener listener;

  private KekProviders(List<KekProvider> providers) {
    this(providers, KmsRetryPolicy.DEFAULT, KmsCallListener.NONE);
  }

  private KekProviders(
      List<KekProvider> providers, KmsRetryPolicy retryPolicy, KmsCallListener listener) {
    this.retryPolicy = retryPolicy;
    this.listener = listener;
    Map<String, KekProvider> table = new LinkedHashMap<>();
    for (KekProvider provider : providers) {
      table.put(provider.kmsType(), provider);
    }
    this.byType = Map.copyOf(table);
  }

  /** Every KMS type the plugin ships. */
  public static KekProviders standard() {
    return new KekProviders(
        List.of(
            new LocalKekProvider(),
            new AwsKekProvider(),
            new VaultKekProvider(),
            new AzureKekProvider(),
            new GcpKekProvider()));
  }

  /** A table of exactly the given providers (tests, or a restricted deployment). */
  public static KekProviders of(KekProvider... providers) {
    return new KekProviders(List.of(providers));
  }

  /** True when {@code kmsType} has a provider. */
  public boolean supports(String kmsType) {
    return byType.containsKey(kmsType);
  }

  /** The supported type names, for error messages and config docs. */
  public String supportedTypes() {
    return String.join(", ", byType.keySet().stream().sorted().toList());
  }

  /** The same providers with another retry policy for KMS outages. */
  public KekProviders withRetryPolicy(KmsRetryPolicy policy) {
    return new KekProviders(List.copyOf(byType.values()), policy, listener);
  }

  /** The same providers, reporting every KMS call to {@code callListener} (metrics). */
  public KekProviders withListener(KmsCallListener callListener) {
    return new KekProviders(List.copyOf(byType.values()), retryPolicy, callListener);
  }

  /**
   * Builds the KEK for a registry KEK's type and key id. This is the one place where KMS calls are
   * decorated: every provider's KEK is retried on outages, falls back to alternate key ids, and is
   * metered here.
   */
  public Kek create(String kmsType, String kmsKeyId, Map<String, String> properties) {
    return create(kmsType, kmsKeyId, List.of(), properties);
  }

  /**
   * As {@link #create(String, String, Map)}, with alternate key ids of the same KMS type that are
   * tried in order when the key before them fails ({@code encrypt.alternate.kms.key.ids}).
   */
  public Kek create(
      String kmsType,
      String kmsKeyId,
      List<String> alternateKeyIds,
      Map<String, String> properties) {
    KekProvider provider = byType.get(kmsType);
    if (provider == null) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "Unsupported KMS type '" + kmsType + "'; supported: " + supportedTypes());
    }
    List<Kek> keks = new ArrayList<>();
    try {
      keks.add(RetryingKek.wrap(provider.create(kmsKeyId, properties), retryPolicy));
      for (String alternate : alternateKeyIds) {
        keks.add(RetryingKek.wrap(provider.create(alternate, properties), retryPolicy));
      }
    } catch (RuntimeException e) {
      keks.forEach(Kek::close); // the clients built before the one that failed
      throw e;
    }
    Kek kek = keks.size() == 1 ? keks.get(0) : new FallbackKek(keks);
    return listener == KmsCallListener.NONE ? kek : new MeteredKek(kek, kmsType, listener);
  }
}
