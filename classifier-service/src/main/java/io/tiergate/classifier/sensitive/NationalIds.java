package io.tiergate.classifier.sensitive;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * National identifiers, each with its own structure and check rule: US SSN, UK NINO, Spanish
 * DNI/NIE, German tax id, French NIR, Indian Aadhaar. Formats that are easily confused with other
 * numbers (9 bare digits, 12 bare digits) need a context word nearby.
 */
final class NationalIds {

    private NationalIds() {}

    // ---------------------------------------------------------------- US SSN

    private static final Pattern SSN =
            Pattern.compile("(?=\\d)(?<![\\d-])(?<!\\d )(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\d-]|[ ]\\d)");
    private static final Pattern SSN_BARE = Pattern.compile("(?=\\d)(?<![\\d-])\\d{9}(?![\\d-])");
    private static final Pattern SSN_CONTEXT = Pattern.compile(
            "(?i)(?<![a-z])(?:ssn|ss#|ssn#|social\\s+security|soc\\.?\\s*sec\\.?|sozialversicherungsnummer\\s+\\(us\\))(?![a-z])");

    /** A token with a digit right before a spaced number ("1Z 599 27 2436", a UPS tracking number). */
    private static final Pattern GLUED_TOKEN_BEFORE = Pattern.compile("[\\p{L}\\p{N}]*\\d[\\p{L}\\p{N}]* $");

    private static final Pattern OTHER_NUMBER = Pattern.compile(
            "(?iu)(?<!\\p{L})(?:tracking|fedex|ups|awb|shipment|order|invoice|ref|reference|part|sku|serial)(?!\\p{L})|#");

    static boolean ssn(String text, Clusters clusters) {
        return clusters.any(SSN, 9, text, m -> {
                    if (Words.documentation(text, m.start())) {
                        return false;
                    }
                    if (!Checksums.plausibleSsn(
                            Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))) {
                        return false;
                    }
                    // spaced groups continuing an id ("1Z 599 27 2436") or after a tracking or order word: not an SSN
                    return !(m.group(2).equals(" ")
                            && (GLUED_TOKEN_BEFORE
                                            .matcher(text.subSequence(Math.max(0, m.start() - 24), m.start()))
                                            .find()
                                    || (Phones.near(OTHER_NUMBER, text, m.start() - 32, m.start())
                                            && !Phones.near(SSN_CONTEXT, text, m.start() - 48, m.start()))));
                })
                || clusters.any(SSN_BARE, 9, text, bare -> {
                    String d = bare.group();
                    return Checksums.plausibleSsn(
                                    Integer.parseInt(d.substring(0, 3)),
                                    Integer.parseInt(d.substring(3, 5)),
                                    Integer.parseInt(d.substring(5)))
                            && (Phones.near(SSN_CONTEXT, text, bare.start() - 48, bare.start())
                                    || Phones.near(SSN_CONTEXT, text, bare.end(), bare.end() + 24));
                });
    }

    // ---------------------------------------------------------------- UK NINO

    /** First letters D, F, I, Q, U, V and second letters D, F, I, O, Q, U, V are never issued. */
    private static final Pattern UK_NINO = Pattern.compile(
            "(?=[A-Z]{2} ?\\d)(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D](?![A-Za-z0-9])");

    private static final Set<String> NINO_EXCLUDED_PREFIXES = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");

    static boolean nino(String text, Clusters clusters) {
        return clusters.any(UK_NINO, 6, text, m -> !NINO_EXCLUDED_PREFIXES.contains(m.group(1)));
    }

    // ---------------------------------------------------------------- Spanish DNI / NIE

    private static final Pattern ES_DNI =
            Pattern.compile("(?=\\d)(?<![A-Za-z0-9.-])(\\d{2}\\.?\\d{3}\\.?\\d{3})[- ]?([A-Z])(?![A-Za-z0-9])");
    private static final Pattern ES_NIE =
            Pattern.compile("(?=[XYZ])(?<![A-Za-z0-9])([XYZ])[- ]?(\\d{7})[- ]?([A-Z])(?![A-Za-z0-9])");

    static boolean spanishId(String text, Clusters clusters) {
        return clusters.any(
                        ES_DNI,
                        8,
                        text,
                        dni -> Checksums.spanishDni(
                                        dni.group(1).replace(".", ""),
                                        dni.group(2).charAt(0))
                                && !Words.documentation(text, dni.start()))
                || clusters.any(ES_NIE, 7, text, nie -> {
                    String prefix = String.valueOf("XYZ".indexOf(nie.group(1).charAt(0)));
                    return Checksums.spanishDni(
                            prefix + nie.group(2), nie.group(3).charAt(0));
                });
    }

    // ---------------------------------------------------------------- German tax id

    /** 11 digits, plain or printed 2-3-3-3 ("12 345 678 901"), not inside a longer number. */
    private static final Pattern DE_TAX_ID = Pattern.compile(
            "(?=\\d)(?<![\\p{L}\\p{N}_./-])(?<!\\d )(\\d{2})( ?)(\\d{3})\\2(\\d{3})\\2(\\d{3})(?![\\p{L}\\p{N}_]|[ ./-]\\d)");

    /**
     * The check digit and the digit-repetition rule reject all but about 0.5 % of random 11-digit
     * numbers, so a valid one counts without a context word (docs/classifier.md).
     */
    static boolean germanTaxId(String text, Clusters clusters) {
        return clusters.any(
                DE_TAX_ID,
                11,
                text,
                m -> Checksums.germanTaxId(m.group(1) + m.group(3) + m.group(4) + m.group(5))
                        && !Words.documentation(text, m.start()));
    }

    // ---------------------------------------------------------------- French NIR

    private static final Pattern FR_NIR = Pattern.compile(
            "(?=[1-478])(?<![\\p{L}\\p{N}_])([1-478])[ .]?(\\d{2})[ .]?(\\d{2})[ .]?(\\d{2}|2[ABab])[ .]?(\\d{3})[ .]?(\\d{3})(?:[ .]?|[ ]?-[ ]?)(\\d{2})(?![\\p{L}\\p{N}_]|[ .]\\d)");
    private static final Pattern NIR_CONTEXT = Pattern.compile(
            "(?iu)nir|insee|sécu|secu|sécurité sociale|securite sociale|carte vitale|n° ss|numéro de sécurité");

    /**
     * NIR: sex digit 1 or 2 (3, 4, 7, 8: temporary numbers, only with a context word), month 01-12
     * or the special 20, 30-42, 50-99, key {@code 97 - n mod 97}.
     */
    static boolean frenchNir(String text, Clusters clusters) {
        return clusters.any(FR_NIR, 13, text, m -> {
            char sex = m.group(1).charAt(0);
            int month = Integer.parseInt(m.group(3));
            boolean monthOk = (month >= 1 && month <= 12) || month == 20 || (month >= 30 && month <= 42) || month >= 50;
            String compact = m.group(1) + m.group(2) + m.group(3) + m.group(4) + m.group(5) + m.group(6) + m.group(7);
            return monthOk
                    && Checksums.frenchNir(compact)
                    && !Words.documentation(text, m.start())
                    && (sex == '1' || sex == '2' || Phones.near(NIR_CONTEXT, text, m.start() - 48, m.start()));
        });
    }

    // ---------------------------------------------------------------- Indian Aadhaar

    private static final Pattern AADHAAR_GROUPED = Pattern.compile(
            "(?=[2-9])(?<![\\p{L}\\p{N}_./-])(?<!\\d )([2-9]\\d{3})([ -])(\\d{4})\\2(\\d{4})(?![\\p{L}\\p{N}_]|[ -]\\d)");
    private static final Pattern AADHAAR_PLAIN =
            Pattern.compile("(?=[2-9])(?<![\\p{L}\\p{N}_./-])[2-9]\\d{11}(?![\\p{L}\\p{N}_])");
    private static final Pattern AADHAAR_CONTEXT = Pattern.compile("(?iu)aadhaa?r|uidai|(?<![a-z])uid(?![a-z])|आधार");
    private static final Pattern AADHAAR_OTHER = Pattern.compile(
            "(?iu)(?<!\\p{L})(?:tracking|fedex|awb|shipment|order|invoice|card|account|acct)(?!\\p{L})|#");

    /** 12 digits, first 2-9, Verhoeff; grouped 4-4-4 on its own, plain only after "Aadhaar"/"UID" (up to 240 characters before). */
    static boolean aadhaar(String text, Clusters clusters) {
        return clusters.any(
                        AADHAAR_GROUPED,
                        12,
                        text,
                        g -> Checksums.aadhaar(g.group(1) + g.group(3) + g.group(4))
                                && !Words.documentation(text, g.start())
                                && (Phones.near(AADHAAR_CONTEXT, text, g.start() - 48, g.start())
                                        || !Phones.near(AADHAAR_OTHER, text, g.start() - 32, g.start())))
                || clusters.any(
                        AADHAAR_PLAIN,
                        12,
                        text,
                        p -> Checksums.aadhaar(p.group())
                                // the word just before, or a table's or an INSERT's column name a few lines up
                                && Phones.near(AADHAAR_CONTEXT, text, p.start() - 240, p.start()));
    }
}
