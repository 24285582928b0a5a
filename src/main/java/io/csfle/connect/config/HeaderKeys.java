package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.subject.SubjectSource;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The "Headers" key of {@code EncryptHeaders} and {@code DecryptHeaders}: which headers they
 * process ({@link HeaderSelection}). The header transforms take it in place of the "Fields" group,
 * followed by the other shared groups.
 */
public final class HeaderKeys {
  public static final String HEADERS_CONFIG = "headers";

  static final String GROUP = "Headers";

  private static final List<KeySpec> KEYS =
      List.of(
          key(
                  HEADERS_CONFIG,
                  Type.LIST,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "Comma-separated names of the headers to encrypt or decrypt, exact (user-id) or"
                      + " glob patterns where * stands for any run of characters (pii-*, *-email)."
                      + " Names are case-sensitive, as Kafka's. Every header of a chosen name is"
                      + " processed, repeated ones included; others pass untouched. A pattern never"
                      + " selects the trace-context headers traceparent, tracestate, baggage, b3,"
                      + " X-B3-* and uber-trace-id: only their exact name does.")
              .validatedBy(new HeaderSelectionValidator())
              .shown(Width.LONG, "Headers"));

  private HeaderKeys() {}

  /** The header transforms' definition: the "Headers" group, then the shared groups. */
  public static ConfigDef definition() {
    return FieldCryptoConfig.withKeyGroups(KeySpec.defineAll(new ConfigDef(), GROUP, KEYS));
  }

  /** The parsed {@code headers}. */
  public static HeaderSelection selection(AbstractConfig config) {
    return HeaderSelection.of(config.getList(HEADERS_CONFIG));
  }

  /**
   * {@code dek.subject}, by default {@link KekKeys#HEADERS_SUBJECT_DEFAULT}, with its fallback. It
   * may read record data, but not a header {@code selection} chooses: encrypt and decrypt must
   * compute the same subject from the same record.
   *
   * @throws ConfigException when it does not parse or reads a chosen header
   */
  public static SubjectTemplate subjectTemplate(AbstractConfig config, HeaderSelection selection) {
    SubjectTemplate template =
        KekKeys.parsedSubjectTemplate(config, KekKeys.HEADERS_SUBJECT_DEFAULT);
    for (SubjectSource source : template.sources()) {
      if (source.kind() == SubjectSource.Kind.HEADER && selection.selects(source.header())) {
        throw new ConfigException(
            KekKeys.SUBJECT_CONFIG,
            template.toString(),
            "reads header '"
                + source.header()
                + "', which this transform encrypts: encrypt and decrypt must read the same"
                + " subject from the record");
      }
    }
    return template;
  }

  /** Rejects an empty list or an empty entry. */
  private static final class HeaderSelectionValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> entries = (List<String>) value;
      try {
        HeaderSelection.of(entries);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "non-empty list of header names and * patterns";
    }
  }
}
