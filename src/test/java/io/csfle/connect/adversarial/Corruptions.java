package io.csfle.connect.adversarial;

import io.csfle.connect.crypto.CiphertextFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The table of broken ciphertexts derived from one real ciphertext: every truncation up to the
 * overhead plus two bytes, a bit flip and a byte inversion at every position (IV, body, tag and the
 * version prefix), bad version prefixes, and, for STRING carriers, texts that are not the standard
 * base64 of anything.
 */
final class Corruptions {
  private Corruptions() {}

  /** One broken ciphertext: a name to report and the bytes. */
  record Corrupted(String name, byte[] bytes) {}

  /** One broken base64 text, and whether a lenient decoder may still read it as the original. */
  record BrokenText(String name, String text, boolean mayDecodeToOriginal) {}

  static List<Corrupted> of(byte[] real, int overhead) {
    List<Corrupted> cases = new ArrayList<>();
    for (int length = 0; length <= Math.min(overhead + 2, real.length - 1); length++) {
      cases.add(new Corrupted("truncated to " + length + " bytes", Arrays.copyOf(real, length)));
    }
    cases.add(new Corrupted("last byte cut", Arrays.copyOf(real, real.length - 1)));
    cases.add(new Corrupted("one byte appended", Arrays.copyOf(real, real.length + 1)));
    for (int i = 0; i < real.length; i++) {
      byte[] flipped = real.clone();
      flipped[i] ^= (byte) (1 << (i % 8));
      cases.add(new Corrupted("bit " + (i % 8) + " of byte " + i + " flipped", flipped));
      byte[] inverted = real.clone();
      inverted[i] ^= (byte) 0xFF;
      cases.add(new Corrupted("byte " + i + " inverted", inverted));
    }
    byte[] body = Arrays.copyOfRange(real, CiphertextFrame.PREFIX_LENGTH, real.length);
    for (int version : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 2, 1 << 16}) {
      cases.add(
          new Corrupted(
              "prefix names version " + version, CiphertextFrame.withVersion(version, body)));
    }
    for (int magic : new int[] {1, 0x7F, 0xFF}) {
      byte[] badMagic = real.clone();
      badMagic[0] = (byte) magic;
      cases.add(new Corrupted("magic byte " + magic, badMagic));
    }
    cases.add(new Corrupted("prefix only", Arrays.copyOf(real, CiphertextFrame.PREFIX_LENGTH)));
    cases.add(new Corrupted("all zero", new byte[real.length]));
    byte[] doubled = Arrays.copyOf(real, real.length * 2);
    System.arraycopy(real, 0, doubled, real.length, real.length);
    cases.add(new Corrupted("ciphertext twice", doubled));
    // A fixed value written over a random byte (the magic byte of an unprefixed ciphertext is the
    // first IV byte) leaves the bytes as they were about once in 256: that is no corruption.
    cases.removeIf(c -> Arrays.equals(c.bytes(), real));
    return cases;
  }

  /** Texts in a STRING field that are not the standard padded base64 of the real ciphertext. */
  static List<BrokenText> texts(String realBase64) {
    List<BrokenText> cases = new ArrayList<>();
    cases.add(new BrokenText("empty", "", false));
    cases.add(new BrokenText("not base64", "%%% not base64 %%%", false));
    cases.add(new BrokenText("one char", "A", false));
    cases.add(new BrokenText("padding only", "====", false));
    cases.add(new BrokenText("space inside", insert(realBase64, " "), false));
    cases.add(new BrokenText("newline inside", insert(realBase64, "\r\n"), false));
    cases.add(new BrokenText("leading space", " " + realBase64, false));
    cases.add(new BrokenText("trailing newline", realBase64 + "\n", false));
    cases.add(new BrokenText("NUL inside", insert(realBase64, "\u0000"), false));
    cases.add(new BrokenText("non-ASCII inside", insert(realBase64, "é"), false));
    cases.add(new BrokenText("extra padding", realBase64 + "==", false));
    String urlSafe = realBase64.replace('+', '-').replace('/', '_');
    if (!urlSafe.equals(realBase64)) {
      cases.add(new BrokenText("URL-safe alphabet", urlSafe, false));
    }
    cases.add(new BrokenText("URL-safe, forced", "-_" + realBase64.substring(2), false));
    String unpadded = realBase64.replace("=", "");
    if (!unpadded.equals(realBase64)) {
      // java.util.Base64's basic decoder accepts missing padding, so this may decode to the very
      // same ciphertext; then it must decrypt to exactly the original, nothing else.
      cases.add(new BrokenText("padding missing", unpadded, true));
    }
    cases.add(
        new BrokenText(
            "MIME-wrapped",
            Base64.getMimeEncoder(8, "\r\n".getBytes())
                .encodeToString(Base64.getDecoder().decode(realBase64)),
            false));
    return cases;
  }

  private static String insert(String text, String inserted) {
    int middle = text.length() / 2;
    return text.substring(0, middle) + inserted + text.substring(middle);
  }
}
