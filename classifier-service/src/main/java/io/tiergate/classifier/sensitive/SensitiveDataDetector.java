package io.tiergate.classifier.sensitive;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data and secrets in a prompt: any hit makes the request sovereign (local only).
 * Patterns find candidates; checksums, issuer and numbering-plan rules and context words reject
 * look-alikes (a 16-digit order number failing Luhn is not a card, an IBAN with a wrong check digit
 * is not an IBAN, {@code password: ${DB_PASSWORD}} is not a password). Reports kinds only, never
 * values, and logs nothing. Thread-safe; see docs/classifier.md for what each kind accepts and
 * rejects.
 *
 * <p>Every pattern is linear in the text (bounded repetition, possessive or single-path), and the
 * costly steps are capped per text (libphonenumber calls, JWT decodes), so a 200 KB hostile prompt
 * is scanned in bounded time.
 */
public final class SensitiveDataDetector {

    /** 13-19 digits, optionally in groups split by one kind of separator, not inside a longer run. */
    private static final Pattern CARD = Pattern.compile(
            "(?=\\d)(?<![\\d-])(?<!\\d\\.)\\d{4}(?:([ -]?)\\d{2,6})(?:\\1\\d{1,6}){1,3}(?![\\d-]|\\.\\d)");

    private static final Pattern IBAN = Pattern.compile(
            "(?=[A-Z]{2}\\d)(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])");

    /** The kinds found in {@code text}, in {@link SensitiveKind} order; empty when none. */
    public Set<SensitiveKind> detect(String text) {
        if (text == null || text.isEmpty()) {
            return EnumSet.noneOf(SensitiveKind.class);
        }
        EnumSet<SensitiveKind> kinds = scan(text, false);
        String decoded = UrlEncoding.decode(text); // "email=aino%40elisa.fi&phone=040+718+2244"
        if (decoded != null) {
            kinds.addAll(scan(decoded, false));
        }
        String spoken = SpokenDigits.normalize(text); // "his number is zero seven four nine seven, six …"
        if (spoken != null) {
            kinds.addAll(scan(spoken, false));
        }
        String joined = ScannedLayout.join(decoded != null ? decoded : text); // "DE31 5008 6591\n9905 7098 52"
        if (joined != null) {
            kinds.addAll(scan(joined, true));
        }
        return kinds;
    }

    /** {@code numbersOnly}: the checksum-validated numbers alone (a text re-joined by {@link ScannedLayout}). */
    private EnumSet<SensitiveKind> scan(String text, boolean numbersOnly) {
        EnumSet<SensitiveKind> kinds = EnumSet.noneOf(SensitiveKind.class);
        // cheap pre-checks keep the common prompt (no '@', few digits, no key prefix) at a few microseconds
        int digits = Phones.countDigits(text);
        String lower = Words.lower(text);
        Clusters clusters = Clusters.of(text);
        if (!numbersOnly && Emails.find(text, lower)) {
            kinds.add(SensitiveKind.EMAIL);
        }
        if (!numbersOnly && digits >= 7 && Phones.find(text, clusters)) {
            kinds.add(SensitiveKind.PHONE);
        }
        if (!numbersOnly && digits >= 4 && BirthDates.find(text, lower)) {
            kinds.add(SensitiveKind.DATE_OF_BIRTH);
        }
        if (digits >= 2 && hasIban(text)) {
            kinds.add(SensitiveKind.IBAN);
        }
        if (digits >= 13 && hasCard(text, clusters)) {
            kinds.add(SensitiveKind.CREDIT_CARD);
        }
        if (digits >= 9 && NationalIds.ssn(text, clusters)) {
            kinds.add(SensitiveKind.US_SSN);
        }
        if (digits >= 6 && NationalIds.nino(text, clusters)) {
            kinds.add(SensitiveKind.UK_NINO);
        }
        if (digits >= 7 && NationalIds.spanishId(text, clusters)) {
            kinds.add(SensitiveKind.ES_DNI);
        }
        if (digits >= 11 && NationalIds.germanTaxId(text, clusters)) {
            kinds.add(SensitiveKind.DE_TAX_ID);
        }
        if (digits >= 13 && NationalIds.frenchNir(text, clusters)) {
            kinds.add(SensitiveKind.FR_NIR);
        }
        if (digits >= 12 && NationalIds.aadhaar(text, clusters)) {
            kinds.add(SensitiveKind.IN_AADHAAR);
        }
        if (numbersOnly) {
            return kinds;
        }
        if ((Secrets.hasProviderHint(text) && Secrets.hasProviderKey(text))
                || Secrets.hasAwsSecret(text, lower)
                || Secrets.hasHexKey(text)) {
            kinds.add(SensitiveKind.API_KEY);
        }
        if (Secrets.mayHoldCredential(lower) && Secrets.hasCredential(text, lower)) {
            kinds.add(SensitiveKind.CREDENTIAL);
        }
        if (Secrets.hasPrivateKey(text)) {
            kinds.add(SensitiveKind.PRIVATE_KEY);
        }
        if (Secrets.hasJwt(text)) {
            kinds.add(SensitiveKind.JWT);
        }
        return kinds;
    }

    private static boolean hasCard(String text, Clusters clusters) {
        return clusters.any(
                CARD,
                13,
                text,
                m -> Checksums.paymentCard(m.group().replace(" ", "").replace("-", ""))
                        && !Words.documentation(text, m.start())
                        && !decimalPart(text, m.start())
                        && !decimalHead(text, m.end()));
    }

    /**
     * "4111111111111111,5" is a decimal with a comma; a card before a comma is a field of a CSV row
     * ("…,Laura Gómez,4328…,89.90"): the line has more fields.
     */
    private static boolean decimalHead(String text, int end) {
        if (end + 1 >= text.length() || text.charAt(end) != ',' || !Character.isDigit(text.charAt(end + 1))) {
            return false;
        }
        return commasOnLine(text, end) < 2;
    }

    private static long commasOnLine(String text, int at) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        int lineEnd = text.indexOf('\n', at);
        return text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd)
                .chars()
                .filter(c -> c == ',')
                .count();
    }

    /**
     * "1,4111111111111111" is a decimal with a comma; a card after a comma is a field of a CSV row
     * ("23.40,5104…"): the comma follows a number with a decimal point, or the line has more fields.
     */
    private static boolean decimalPart(String text, int start) {
        if (start < 2 || text.charAt(start - 1) != ',' || !Character.isDigit(text.charAt(start - 2))) {
            return false;
        }
        int lineStart = text.lastIndexOf('\n', start) + 1;
        int i = start - 2;
        while (i > lineStart && Character.isDigit(text.charAt(i - 1))) {
            i--;
        }
        boolean afterDecimal = i > lineStart && text.charAt(i - 1) == '.';
        return !afterDecimal && commasOnLine(text, start) < 2;
    }

    /** Registered length and mod 97; a trailing short word swallowed by the pattern is backed off. */
    private static boolean hasIban(String text) {
        Matcher m = IBAN.matcher(text);
        while (m.find()) {
            if (Words.documentation(text, m.start())) {
                continue; // "example IBAN: DE89 …"
            }
            String candidate = m.group();
            for (int tries = 0; tries < 3; tries++) {
                if (Checksums.iban(candidate.replace(" ", ""))) {
                    return true;
                }
                int space = candidate.lastIndexOf(' ');
                if (space < 0) {
                    break;
                }
                candidate = candidate.substring(0, space);
            }
        }
        return false;
    }
}
