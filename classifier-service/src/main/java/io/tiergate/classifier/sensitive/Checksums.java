package io.tiergate.classifier.sensitive;

import java.util.Map;

/** The check-digit algorithms that separate real identifiers from look-alike digit runs. */
final class Checksums {

    private Checksums() {}

    /** Luhn (mod 10) over a string of ASCII digits. */
    static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /** The digit that makes {@code body} + digit pass {@link #luhn}. */
    static int luhnCheckDigit(String body) {
        for (int d = 0; d <= 9; d++) {
            if (luhn(body + d)) {
                return d;
            }
        }
        throw new IllegalArgumentException("not digits: " + body);
    }

    /**
     * Payment card number (digits only): a length and issuer prefix that some scheme issues
     * (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Troy, Mir, RuPay) and a valid
     * Luhn digit.
     */
    static boolean paymentCard(String digits) {
        int len = digits.length();
        if (len < 13 || len > 19 || !luhn(digits)) {
            return false;
        }
        int p1 = digits.charAt(0) - '0';
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p6 = Integer.parseInt(digits.substring(0, 6));
        if (p1 == 4) {
            return len == 13 || len == 16 || len == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
            return len >= 16; // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16; // JCB
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return len >= 14; // Diners Club
        }
        if (p2 == 62) {
            return len >= 16; // UnionPay
        }
        if (p2 == 50 || (p2 >= 56 && p2 <= 58) || p4 == 6304 || p4 == 6759 || p3 == 639 || p2 == 67) {
            return len >= 16; // Maestro: 12-19 digits issued, 16-19 in use; 13 digits are EAN-13 barcodes (50…, 56…)
        }
        if (p4 == 9792) {
            return len == 16; // Troy (Turkey)
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return len >= 16; // Mir (Russia)
        }
        if (p2 == 60 || p2 == 81 || p2 == 82 || p3 == 508) {
            return len == 16; // RuPay (India)
        }
        return false;
    }

    /** IBAN lengths by country (ISO 13616 registry). */
    private static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("AD", 24),
            Map.entry("AE", 23),
            Map.entry("AL", 28),
            Map.entry("AT", 20),
            Map.entry("AZ", 28),
            Map.entry("BA", 20),
            Map.entry("BE", 16),
            Map.entry("BG", 22),
            Map.entry("BH", 22),
            Map.entry("BR", 29),
            Map.entry("BY", 28),
            Map.entry("CH", 21),
            Map.entry("CR", 22),
            Map.entry("CY", 28),
            Map.entry("CZ", 24),
            Map.entry("DE", 22),
            Map.entry("DK", 18),
            Map.entry("DO", 28),
            Map.entry("EE", 20),
            Map.entry("EG", 29),
            Map.entry("ES", 24),
            Map.entry("FI", 18),
            Map.entry("FO", 18),
            Map.entry("FR", 27),
            Map.entry("GB", 22),
            Map.entry("GE", 22),
            Map.entry("GI", 23),
            Map.entry("GL", 18),
            Map.entry("GR", 27),
            Map.entry("GT", 28),
            Map.entry("HR", 21),
            Map.entry("HU", 28),
            Map.entry("IE", 22),
            Map.entry("IL", 23),
            Map.entry("IQ", 23),
            Map.entry("IS", 26),
            Map.entry("IT", 27),
            Map.entry("JO", 30),
            Map.entry("KW", 30),
            Map.entry("KZ", 20),
            Map.entry("LB", 28),
            Map.entry("LC", 32),
            Map.entry("LI", 21),
            Map.entry("LT", 20),
            Map.entry("LU", 20),
            Map.entry("LV", 21),
            Map.entry("MC", 27),
            Map.entry("MD", 24),
            Map.entry("ME", 22),
            Map.entry("MK", 19),
            Map.entry("MR", 27),
            Map.entry("MT", 31),
            Map.entry("MU", 30),
            Map.entry("NL", 18),
            Map.entry("NO", 15),
            Map.entry("PK", 24),
            Map.entry("PL", 28),
            Map.entry("PS", 29),
            Map.entry("PT", 25),
            Map.entry("QA", 29),
            Map.entry("RO", 24),
            Map.entry("RS", 22),
            Map.entry("SA", 24),
            Map.entry("SC", 31),
            Map.entry("SE", 24),
            Map.entry("SI", 19),
            Map.entry("SK", 24),
            Map.entry("SM", 27),
            Map.entry("ST", 25),
            Map.entry("SV", 28),
            Map.entry("TL", 23),
            Map.entry("TN", 24),
            Map.entry("TR", 26),
            Map.entry("UA", 29),
            Map.entry("VA", 22),
            Map.entry("VG", 24),
            Map.entry("XK", 20));

    /** IBAN without spaces, upper case: registered country length and ISO 7064 mod 97-10 == 1. */
    static boolean iban(String compact) {
        if (compact.length() < 15) {
            return false;
        }
        Integer expected = IBAN_LENGTHS.get(compact.substring(0, 2));
        if (expected == null || expected != compact.length()) {
            return false;
        }
        String rearranged = compact.substring(4) + compact.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                remainder = (remainder * 10 + (c - '0')) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return remainder == 1;
    }

    private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

    /** Spanish DNI check letter: the 8-digit number mod 23 indexes the letter table. */
    static boolean spanishDni(String eightDigits, char letter) {
        int n = Integer.parseInt(eightDigits);
        return DNI_LETTERS.charAt(n % 23) == letter;
    }

    /**
     * German tax identification number (steuerliche Identifikationsnummer, 11 digits): no leading
     * zero; in the first ten digits exactly one digit occurs twice or three times and every other
     * digit at most once; the eleventh digit is the ISO 7064 MOD 11,10 check digit of the first ten.
     * As the common validators (python-stdnum and its ports) check it: the issuing rule that a
     * triple is never written side by side is not enforced, so a mistyped or synthetic id with
     * {@code 111} still counts (recall first).
     */
    static boolean germanTaxId(CharSequence d) {
        if (d.length() != 11 || d.charAt(0) == '0' || !allDigits(d)) {
            return false;
        }
        int[] counts = new int[10];
        for (int i = 0; i < 10; i++) {
            counts[d.charAt(i) - '0']++;
        }
        int repeated = 0;
        for (int c : counts) {
            if (c > 3) {
                return false;
            }
            if (c >= 2) {
                repeated++;
            }
        }
        if (repeated != 1) {
            return false;
        }
        int product = 10;
        for (int i = 0; i < 10; i++) {
            int sum = (d.charAt(i) - '0' + product) % 10;
            if (sum == 0) {
                sum = 10;
            }
            product = sum * 2 % 11;
        }
        int check = 11 - product;
        if (check == 10) {
            check = 0;
        }
        return check == d.charAt(10) - '0';
    }

    /**
     * French social security number (NIR / numéro INSEE), 15 characters without separators: 13
     * characters and a two-digit key {@code 97 - (n mod 97)}; the department may be 2A or 2B
     * (Corsica), counted as 19 and 18 for the key.
     */
    static boolean frenchNir(String compact) {
        if (compact.length() != 15) {
            return false;
        }
        String body = compact.substring(0, 13);
        String dept = body.substring(5, 7);
        if (dept.equals("2A") || dept.equals("2a")) {
            body = body.substring(0, 5) + "19" + body.substring(7);
        } else if (dept.equals("2B") || dept.equals("2b")) {
            body = body.substring(0, 5) + "18" + body.substring(7);
        }
        String key = compact.substring(13);
        if (!allDigits(body) || !allDigits(key)) {
            return false;
        }
        long n = Long.parseLong(body);
        return 97 - n % 97 == Integer.parseInt(key);
    }

    private static final int[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
    };
    private static final int[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}
    };

    /** Verhoeff check (dihedral group D5) over ASCII digits, the check digit last. */
    static boolean verhoeff(CharSequence digits) {
        if (digits.length() == 0 || !allDigits(digits)) {
            return false;
        }
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d]];
        }
        return c == 0;
    }

    /** Indian Aadhaar number: 12 digits, the first 2-9, Verhoeff check digit last. */
    static boolean aadhaar(CharSequence digits) {
        return digits.length() == 12 && digits.charAt(0) >= '2' && digits.charAt(0) <= '9' && verhoeff(digits);
    }

    static boolean allDigits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** US SSN ranges the SSA never issues: area 000, 666, 900-999; group 00; serial 0000. */
    static boolean plausibleSsn(int area, int group, int serial) {
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return false;
        }
        // widely published specimen numbers (a wallet insert, an advertisement): not a person's
        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999);
    }
}
