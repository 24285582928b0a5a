package io.csfle.connect.kms;

import java.util.function.Supplier;

/**
 * Sets this plugin's classloader as the thread context classloader around SDK work. An SMT from
 * this plugin often runs on another plugin's task thread, whose context loader cannot see the SDK.
 * Shared by the providers whose SDKs discover services through the context classloader.
 */
public final class Classloading {
  private Classloading() {}

  public static <T> T withPluginLoader(Supplier<T> work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(Classloading.class.getClassLoader());
    try {
      return work.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
