package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.KmsException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Which ARN a KEK's key is used by in this worker. A multi-region key ({@code key/mrk-...}) has
 * replicas with the same key material in other regions, so a DEK wrapped by the key in one region
 * unwraps with its replica in another: such a key is used in the worker's own region, the ARN's
 * region replaced by the {@value #REGION} property, else by the AWS SDK's default region chain
 * ({@code aws.region} system property, {@code AWS_REGION}, the shared config's profile, {@code
 * profile} if set, instance metadata). When neither names a region, the ARN is used as it is.
 * Single-region keys and aliases are never rewritten, and {@value #DISABLE_DYNAMIC_MRK}{@code
 * =true} keeps multi-region keys in their own region too.
 */
final class MultiRegionKeys {
  static final String REGION = "region";
  static final String DISABLE_DYNAMIC_MRK = "aws.disable.dynamic.mrk";

  private static final Logger log = LoggerFactory.getLogger(MultiRegionKeys.class);

  /** The SDK's default region for a profile name (or none), {@code null} when it finds none. */
  private final UnaryOperator<String> defaultRegion;

  MultiRegionKeys(UnaryOperator<String> defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  /**
   * Looks the region up with the AWS SDK's default region chain, once per profile: the worker does
   * not move, and the chain's last resort, instance metadata, can take seconds to answer or time
   * out.
   */
  static MultiRegionKeys withSdkDefaultRegion() {
    Map<String, Optional<String>> found = new ConcurrentHashMap<>();
    return new MultiRegionKeys(
        profile ->
            found
                .computeIfAbsent(
                    profile == null ? "" : profile,
                    p -> Optional.ofNullable(sdkDefaultRegion(profile)))
                .orElse(null));
  }

  /** The key to call KMS with: {@code key} itself, or its replica in this worker's region. */
  AwsKeyArn keyToUse(AwsKeyArn key, Map<String, String> properties) {
    if (!key.isMultiRegion() || disabled(properties)) {
      return key;
    }
    String configured = value(properties, REGION);
    String region =
        configured != null
            ? configured
            : defaultRegion.apply(value(properties, AwsKekProvider.PROFILE));
    if (region == null) {
      log.warn(
          "aws-kms key {} is a multi-region key but no region is configured ({}) and the AWS"
              + " SDK's default region chain finds none; it is used in its own region",
          key.arn(),
          REGION);
      return key;
    }
    if (!AwsKeyArn.REGION.matcher(region).matches()) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "aws-kms region '"
              + AwsKeyArn.quoted(region)
              + "'"
              + (configured != null
                  ? " (" + REGION + ")"
                  : " (from the AWS SDK's default region chain)")
              + " is not an AWS region like us-east-1; multi-region key "
              + key.arn()
              + " is used in this region");
    }
    return key.inRegion(region);
  }

  private static boolean disabled(Map<String, String> properties) {
    String text = value(properties, DISABLE_DYNAMIC_MRK);
    if (text == null) {
      return false;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new KmsException(
              KmsException.Reason.MISCONFIGURED,
              "aws-kms "
                  + DISABLE_DYNAMIC_MRK
                  + " is '"
                  + AwsKeyArn.quoted(text)
                  + "'; expected true or false");
    };
  }

  private static String sdkDefaultRegion(String profile) {
    return Classloading.withPluginLoader(
        () -> {
          try {
            var chain = DefaultAwsRegionProviderChain.builder();
            if (profile != null) {
              chain.profileName(profile);
            }
            return chain.build().getRegion().id();
          } catch (SdkClientException e) {
            return null;
          }
        });
  }

  private static String value(Map<String, String> properties, String name) {
    String text = properties.get(name);
    return text == null || text.isBlank() ? null : text.trim();
  }
}
