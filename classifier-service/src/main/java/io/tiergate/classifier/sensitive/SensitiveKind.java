package io.tiergate.classifier.sensitive;

/**
 * The kinds of personal data and secrets the detector recognises. Only the kind is ever reported
 * (in {@code Classification.sensitiveKinds}), never the value found.
 */
public enum SensitiveKind {
  EMAIL,
  PHONE,
  IBAN,
  CREDIT_CARD,
  /** US Social Security number. */
  US_SSN,
  /** UK National Insurance number. */
  UK_NINO,
  /** Spanish national identity number (DNI) or foreigner identity number (NIE), check letter verified. */
  ES_DNI,
  API_KEY,
  PRIVATE_KEY,
  JWT
}
