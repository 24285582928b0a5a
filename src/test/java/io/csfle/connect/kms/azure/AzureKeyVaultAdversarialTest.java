package io.csfle.connect.kms.azure;

import io.csfle.connect.kms.JsonKmsAdversarialContract;
import io.csfle.connect.kms.JsonKmsMisbehaviour.Dialect;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.kms.ThrowawayCertificate;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import java.util.Base64;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * azure-kms through the real Azure SDK (over HTTPS) against a Key Vault that stalls, floods,
 * garbles or echoes: the {@link JsonKmsAdversarialContract}, with Key Vault's JSON and its reasons.
 * The credential issues a bearer token other than the client secret, as Entra ID does, so an echo
 * of the request quotes a token the configuration never named: it must be scrubbed all the same.
 */
class AzureKeyVaultAdversarialTest extends JsonKmsAdversarialContract {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String VERSION = "0123456789abcdef0123456789abcdef";
  private static final String SECRET = "azur3~SECRET.clientSecret-0123456789abcd";
  private static final String ISSUED_TOKEN = "eyJissued.bearer-token-9876543210zyxw";
  private static final String JSON = "application/json; charset=utf-8";

  /** Key Vault's JSON: base64url values after a {@code kid}, errors in {@code error}. */
  private static final Dialect KEY_VAULT_JSON =
      new Dialect(
          JSON,
          "{\"kid\":\"x\",\"value\":",
          "{\"kid\":\"x\",\"value\":",
          Base64.getUrlEncoder(),
          "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
          "BadParameter",
          403,
          "Forbidden");

  static {
    leaks.secret(SECRET).secret(ISSUED_TOKEN).keyBytes(DEK);
  }

  AzureKeyVaultAdversarialTest() {
    super(leaks, KEY_VAULT_JSON, 256, SECRET, SECRET, ISSUED_TOKEN);
  }

  /** Key Vault's bearer challenge first, as the SDK expects; then the behaviour. */
  @Override
  protected MisbehavingHttpServer server(Behaviour behaviour) throws Exception {
    return MisbehavingHttpServer.https(
        ThrowawayCertificate.serverTls(),
        (r, c) -> {
          if (r.header("Authorization") == null) {
            c.respond(
                401,
                JSON,
                "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"no token\"}}",
                "WWW-Authenticate: Bearer authorization=\"https://login.microsoftonline.com/"
                    + InMemoryKeyVaultServer.TENANT
                    + "\", resource=\"https://vault.azure.net\"");
          } else {
            behaviour.respond(r, c);
          }
        });
  }

  @Override
  protected Kek kek(MisbehavingHttpServer server) {
    AzureKekProvider provider =
        new AzureKekProvider(
            (properties, http) -> AzureTesting.staticToken(ISSUED_TOKEN), false, CALL_BOUND);
    return provider.create(keyId(server), AzureTesting.properties(SECRET));
  }

  @Override
  protected String keyId(MisbehavingHttpServer server) {
    return server.url() + "/keys/orders/" + VERSION;
  }

  /** Key Vault says by status that a key or version does not exist: a 404 is the key's fault. */
  @Override
  protected Reason expected(int status) {
    return switch (status) {
      case 403 -> Reason.ACCESS_DENIED;
      case 404 -> Reason.KEY_UNUSABLE;
      case 429, 500, 502 -> Reason.UNAVAILABLE;
      default -> Reason.MISCONFIGURED;
    };
  }
}
