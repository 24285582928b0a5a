package io.csfle.apicurio;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * The bean that Apicurio's config-index Quarkus extension would have built at augmentation time:
 * the list of properties an admin may change at run time through the registry's REST API. That
 * extension's deployment half is not served here (see the pom), and the test changes no property
 * at run time, so the list is empty: every property keeps its static value.
 */
@ApplicationScoped
public class EmptyDynamicConfigPropertyList {
  @Produces
  @Singleton
  DynamicConfigPropertyList dynamicConfigProperties() {
    return new DynamicConfigPropertyList(List.of());
  }
}
