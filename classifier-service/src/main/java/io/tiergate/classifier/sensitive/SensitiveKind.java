package io.tiergate.classifier.sensitive;

/**
 * The kinds of personal data and secrets the detector recognises. Only the kind is ever reported
 * (in {@code Classification.sensitiveKinds}), never the value found. Reported in this order; kinds
 * travel as strings, so adding one is compatible with every reader.
 */
public enum SensitiveKind {
    EMAIL,
    PHONE,
    /** A date of birth next to a person's name. */
    DATE_OF_BIRTH,
    IBAN,
    CREDIT_CARD,
    /** US Social Security number. */
    US_SSN,
    /** UK National Insurance number. */
    UK_NINO,
    /** Spanish national identity number (DNI) or foreigner identity number (NIE), check letter verified. */
    ES_DNI,
    /** German tax identification number (steuerliche Identifikationsnummer), check digit verified. */
    DE_TAX_ID,
    /** French social security number (NIR, "numéro INSEE"), key verified. */
    FR_NIR,
    /** Indian Aadhaar number, Verhoeff check digit verified. */
    IN_AADHAAR,
    /** A key in a documented provider format (AWS, GitHub, GitLab, Slack, Stripe, Google, OpenAI, Anthropic, …). */
    API_KEY,
    /** Any other password, token or secret: in a URL or connection string, an assignment, a header, a command line. */
    CREDENTIAL,
    PRIVATE_KEY,
    JWT
}
