package io.csfle.connect.kms.gcp;

import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.Slf4JLoggerFactory;
import java.lang.reflect.Proxy;

/**
 * Silences gRPC's HTTP/2 frame dumps. At DEBUG, gRPC's Netty transport logs every frame under
 * {@code io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler} (and {@code
 * ...NettyServerHandler}): the headers, with the {@code authorization: Bearer} access token, and
 * the first bytes of each data frame, which for a Decrypt answer are the DEK. Anyone turning the
 * root logger to DEBUG or TRACE would write credentials and key material to the log. Those two
 * loggers are replaced by one that is never enabled; every other (shaded) Netty logger still goes
 * to SLF4J as before.
 *
 * <p>The shaded Netty is private to gRPC, and in a Connect plugin directory to this plugin, so the
 * change touches no other component.
 */
final class GrpcFrameLogsOff extends Slf4JLoggerFactory {
  private static final String PREFIX = "io.grpc.netty.shaded.io.grpc.netty.Netty";

  @SuppressWarnings("deprecation")
  private GrpcFrameLogsOff() {}

  /** Installs the factory; idempotent. Must run before the first channel is built. */
  static synchronized void install() {
    if (!(InternalLoggerFactory.getDefaultFactory() instanceof GrpcFrameLogsOff)) {
      InternalLoggerFactory.setDefaultFactory(new GrpcFrameLogsOff());
    }
  }

  @Override
  public InternalLogger newInstance(String name) {
    if (name.equals(PREFIX + "ClientHandler") || name.equals(PREFIX + "ServerHandler")) {
      return silent(name);
    }
    return super.newInstance(name);
  }

  private static InternalLogger silent(String name) {
    return (InternalLogger)
        Proxy.newProxyInstance(
            InternalLogger.class.getClassLoader(),
            new Class<?>[] {InternalLogger.class},
            (proxy, method, args) -> {
              if (method.getName().equals("name")) {
                return name;
              }
              if (method.getName().equals("toString")) {
                return "silent " + name;
              }
              if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
              }
              if (method.getName().equals("equals")) {
                return proxy == args[0];
              }
              return method.getReturnType() == boolean.class ? false : null;
            });
  }
}
