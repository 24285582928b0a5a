package io.csfle.connect.kms;

import static io.csfle.connect.testing.RemoteMisbehaviour.answer;
import static io.csfle.connect.testing.RemoteMisbehaviour.htmlPage;

import io.csfle.connect.testing.RemoteMisbehaviour;
import io.csfle.connect.testing.RemoteMisbehaviour.Wire;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * The hostile answers a KMS that speaks JSON over HTTP (AWS KMS, Azure Key Vault) can give to a
 * wrap, each spelt in the service's own {@link Dialect} so the client's parser is really reached.
 * The adversarial test of each such KMS runs them all and says which reason each must give.
 */
public final class JsonKmsMisbehaviour {
  private JsonKmsMisbehaviour() {}

  /**
   * How one KMS spells its answers.
   *
   * @param wrapStart a wrap answer up to its ciphertext value, e.g. {@code {"CiphertextBlob":}
   * @param unwrapStart an unwrap answer up to its plaintext value
   * @param base64 how the service encodes bytes in its JSON
   * @param error the error body, a format with the code, then the message
   * @param invalidCode the code of a request refused as invalid, whose message the client shows
   * @param deniedStatus with {@code deniedCode}: how the service says the caller may not do this
   */
  public record Dialect(
      String contentType,
      String wrapStart,
      String unwrapStart,
      Base64.Encoder base64,
      String error,
      String invalidCode,
      int deniedStatus,
      String deniedCode) {

    /** A good wrap answer's start, its ciphertext begun. */
    public Wire wire() {
      return new Wire(contentType, wrapStart + "\"AQID");
    }

    public String wrapped(String jsonValue) {
      return wrapStart + jsonValue + "}";
    }

    public String unwrapped(byte[] plaintext) {
      return unwrapStart + "\"" + base64.encodeToString(plaintext) + "\"}";
    }

    public String error(String code, String message) {
      return String.format(error, code, message);
    }
  }

  /** Every way to leave a wrap waiting: each must end in an outage within the call's bound. */
  public static Stream<RemoteMisbehaviour> stalls(Dialect kms) {
    return Stream.of(
        RemoteMisbehaviour.stallBeforeHeaders(),
        RemoteMisbehaviour.stallAfterHeaders(kms.wire()),
        RemoteMisbehaviour.stallInTheBody(kms.wire()),
        RemoteMisbehaviour.dripBody(kms.wire()));
  }

  /** Whole answers that are not a good wrap answer, by a proxy or by the service itself. */
  public static Stream<RemoteMisbehaviour> malformedWrapAnswers(
      Dialect kms, byte[] keyMaterial, String secret) {
    String type = kms.contentType();
    byte[] echo = new byte[keyMaterial.length + 28];
    System.arraycopy(keyMaterial, 0, echo, 12, keyMaterial.length);
    return Stream.of(
        htmlPage(200),
        RemoteMisbehaviour.truncatedJson(kms.wire()),
        answer("mistyped JSON", 200, type, kms.wrapped("[1,2,3]")),
        answer("a ciphertext that is not base64", 200, type, kms.wrapped("\"%%%not*base64%%%\"")),
        answer("no ciphertext", 200, type, "{}"),
        answer(
            "the key material back as ciphertext",
            200,
            type,
            kms.wrapped("\"" + kms.base64().encodeToString(echo) + "\"")),
        answer("a ciphertext shorter than the key material", 200, type, kms.wrapped("\"AQID\"")),
        htmlPage(500),
        htmlPage(502),
        htmlPage(429),
        htmlPage(403),
        htmlPage(404),
        answer("an unknown error code", 400, type, kms.error("BrandNewCode", "something new")),
        answer(
            "an error code that is not a code", 400, type, kms.error("<script>".repeat(500), "x")),
        answer(
            "an endless error message",
            400,
            type,
            kms.error(kms.invalidCode(), "x\\n".repeat(50_000))),
        answer(
            "an error message that quotes the key material",
            400,
            type,
            kms.error(kms.invalidCode(), "bad value " + kms.base64().encodeToString(keyMaterial))),
        answer(
            "a redirect",
            301,
            RemoteMisbehaviour.HTML,
            "moved",
            "Location: http://127.0.0.1:1/elsewhere?secret=" + secret));
  }

  /** A denial that quotes the request back: its Authorization header, the secret and the body. */
  public static RemoteMisbehaviour denialEchoingTheRequest(Dialect kms, String secret) {
    return answer(
        "a denial echoing the request",
        kms.deniedStatus(),
        kms.contentType(),
        r ->
            kms.error(
                kms.deniedCode(),
                "you sent "
                    + r.header("Authorization")
                    + " secret "
                    + secret
                    + " body "
                    + new String(r.body(), StandardCharsets.UTF_8).replace("\"", "'")));
  }

  /** Unwrap answers with no key material, or far more than any DEK. */
  public static Stream<RemoteMisbehaviour> unwrapsToImpossibleKeyMaterial(Dialect kms) {
    return Stream.of(
        answer("no key material", 200, kms.contentType(), kms.unwrapped(new byte[0])),
        answer(
            "5000 bytes of key material", 200, kms.contentType(), kms.unwrapped(new byte[5000])));
  }
}
