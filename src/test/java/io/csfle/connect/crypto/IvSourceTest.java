package io.csfle.connect.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IvSourceTest {
  /** A generator whose output is a counter, with the calls and bytes asked of it counted. */
  private static final class CountingRandom extends SecureRandom {
    private int calls;
    private int bytesAsked;
    private int counter;

    @Override
    public void nextBytes(byte[] bytes) {
      calls++;
      bytesAsked += bytes.length;
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) counter++;
      }
    }
  }

  @Test
  void ivs_areTheGeneratorsBytesInOrder_eachHandedOutOnce() {
    CountingRandom random = new CountingRandom();
    IvSource source = new IvSource(random);
    int ivs = 3 * IvSource.BATCH_IVS + 5;
    byte[] all = new byte[ivs * IvSource.IV_BYTES];
    for (int i = 0; i < ivs; i++) {
      source.writeNext(all, i * IvSource.IV_BYTES);
    }

    for (int i = 0; i < all.length; i++) {
      assertThat(all[i]).as("byte %d", i).isEqualTo((byte) i);
    }
  }

  @Test
  void generator_isAskedOncePerBatch_neverForMoreThanItHandsOut() {
    CountingRandom random = new CountingRandom();
    IvSource source = new IvSource(random);
    byte[] iv = new byte[IvSource.IV_BYTES];

    source.writeNext(iv, 0);
    assertThat(random.calls).isEqualTo(1);
    for (int i = 1; i < IvSource.BATCH_IVS; i++) {
      source.writeNext(iv, 0);
    }
    assertThat(random.calls).isEqualTo(1);
    source.writeNext(iv, 0);
    assertThat(random.calls).isEqualTo(2);
    assertThat(random.bytesAsked).isEqualTo(2 * IvSource.BATCH_IVS * IvSource.IV_BYTES);
  }

  @Test
  void writeNext_writesOnlyItsTwelveBytesAtTheOffset() {
    IvSource source = new IvSource(new CountingRandom());
    byte[] out = new byte[40];
    Arrays.fill(out, (byte) 0x7F);

    source.writeNext(out, 20);

    assertThat(Arrays.copyOfRange(out, 0, 20)).containsOnly((byte) 0x7F);
    assertThat(Arrays.copyOfRange(out, 32, 40)).containsOnly((byte) 0x7F);
    assertThat(Arrays.copyOfRange(out, 20, 32))
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  }

  @Test
  void threadSources_drawDistinctIvsAcrossManyBatches() {
    IvSource source = IvSource.ofThisThread();
    Set<String> seen = new HashSet<>();
    byte[] iv = new byte[IvSource.IV_BYTES];
    for (int i = 0; i < 20 * IvSource.BATCH_IVS; i++) {
      source.writeNext(iv, 0);
      assertThat(seen.add(Arrays.toString(iv))).as("IV %d repeats", i).isTrue();
    }
    assertThat(IvSource.ofThisThread()).isSameAs(source);
  }
}
