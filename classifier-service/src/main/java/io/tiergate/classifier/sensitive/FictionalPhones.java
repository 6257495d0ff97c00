package io.tiergate.classifier.sensitive;

import java.util.regex.Pattern;

/**
 * Numbers that regulators reserve for fiction, films and documentation, which no person can be
 * reached on: the North American 555-0100 to 555-0199 (any area code), Ofcom's drama ranges (020 7946
 * 0xxx, 0113-0161 496 0xxx, 0191 498 0xxx, 028 9649 6xxx, 029 2018 0xxx, 01632 960xxx, 07700
 * 900xxx, 08081 570xxx, 0909 879 0xxx, 03069 990xxx), ARCEP's (01 99 00 xx xx, 02 61 91, 03 53 01,
 * 04 65 71, 05 36 49, 06 39 98), and ACMA's (0491 57x xxx mobiles, 02/03/07/08 5550 xxxx and 7010
 * xxxx landlines). Judged on the digits, written nationally or with the country code (+, 00 or 011).
 */
final class FictionalPhones {

    private FictionalPhones() {}

    private static final Pattern NANP = Pattern.compile("(?:1?[2-9]\\d{2})?55501\\d{2}");

    private static final Pattern UK = Pattern.compile("0(?:1(?:1[3-8]|[2-6]1)4960\\d{3}|1914980\\d{3}|2079460\\d{3}"
            + "|2896496\\d{3}|2920180\\d{3}|1632960\\d{3}|7700900\\d{3}|8081570\\d{3}|9098790\\d{3}|3069990\\d{3})");

    private static final Pattern FR = Pattern.compile("0(?:19900|26191|35301|46571|53649|63998)\\d{4}");

    private static final Pattern AU = Pattern.compile("0(?:49157\\d{4}|[2378](?:5550|7010)\\d{4})");

    /** Whether the digits of {@code candidate} (a phone-shaped text) are a reserved fictional number. */
    static boolean fictional(CharSequence candidate) {
        StringBuilder d = new StringBuilder(candidate.length());
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c >= '0' && c <= '9') {
                d.append(c);
            }
        }
        String digits = d.toString();
        boolean international = false;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c == '+') {
                international = true;
                break;
            }
            if (c >= '0' && c <= '9') {
                break;
            }
        }
        if (!international && digits.startsWith("011")) {
            digits = digits.substring(3);
            international = true;
        } else if (!international && digits.startsWith("00")) {
            digits = digits.substring(2);
            international = true;
        }
        if (international) {
            return digits.startsWith("1") && NANP.matcher(digits).matches()
                    || national(digits, "44", UK)
                    || national(digits, "33", FR)
                    || national(digits, "61", AU);
        }
        return NANP.matcher(digits).matches()
                || UK.matcher(digits).matches()
                || FR.matcher(digits).matches()
                || AU.matcher(digits).matches();
    }

    /** +44 20 7946 0321 and +44 (0)20 7946 0321 are both 020 7946 0321. */
    private static boolean national(String digits, String countryCode, Pattern plan) {
        if (!digits.startsWith(countryCode)) {
            return false;
        }
        String rest = digits.substring(countryCode.length());
        return plan.matcher(rest.startsWith("0") ? rest : "0" + rest).matches();
    }
}
