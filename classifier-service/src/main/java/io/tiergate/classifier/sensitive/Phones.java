package io.tiergate.classifier.sensitive;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers in international and national formats. A cheap scan finds digit groups shaped
 * like a phone number and rejects look-alikes (dates, IPs, versions, amounts, ids, runs without
 * separators and without a phone word nearby); only the survivors go to libphonenumber
 * ({@link PhoneNumberUtil#findNumbers} on the candidate), which knows every country's numbering plan:
 * with a + or 00 prefix the number must be possible for its country code (or, written in three or
 * more groups, have a country code in use and 7-12 national digits); without one it must be a
 * valid number of a personal type in one of the default regions.
 */
final class Phones {

    private Phones() {}

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** Regions whose national formats are tried; a leading 0 (trunk prefix) narrows the list. */
    static final List<String> REGIONS = List.of("US", "GB", "DE", "FR", "ES", "IT", "NL", "IN", "BR", "JP", "AU", "MX");
    /**
     * More regions, tried only when a phone word is next to the number ("mobil 482 17 639" in Norway):
     * without the word, their national formats would match too many ids.
     */
    static final List<String> MORE_REGIONS = List.of(
            "NO", "SE", "DK", "FI", "IS", "PL", "CZ", "SK", "AT", "CH", "BE", "LU", "PT", "IE", "GR", "TR", "RO", "HU",
            "BG", "HR", "SI", "UA", "RU", "IL", "AE", "SA", "EG", "ZA", "NG", "KE", "CN", "KR", "TW", "HK", "SG", "MY",
            "TH", "VN", "PH", "ID", "PK", "BD", "NZ", "CA", "AR", "CL", "CO", "PE");
    /** Every region tried, the default ones first. */
    private static final List<String> ALL_REGIONS = java.util.stream.Stream.concat(
                    REGIONS.stream(), MORE_REGIONS.stream())
            .toList();

    /** Regions where national numbers are written with a leading 0 (IT landlines keep theirs). */
    private static final List<String> TRUNK_ZERO = List.of("GB", "DE", "FR", "IT", "NL", "IN", "JP", "AU", "BR");
    /** Regions where national numbers start with 1-9. */
    private static final List<String> NO_TRUNK = List.of("US", "ES", "IT", "IN", "BR", "MX");

    /** Number types a person can be reached on (not shared-cost, premium, toll-free or UAN service lines). */
    private static final Set<PhoneNumberType> PERSONAL_TYPES = EnumSet.of(
            PhoneNumberType.FIXED_LINE,
            PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE,
            PhoneNumberType.VOIP,
            PhoneNumberType.PERSONAL_NUMBER,
            PhoneNumberType.PAGER);

    /** libphonenumber calls per text: a hostile text full of phone-shaped groups stays bounded. */
    static final int MAX_LIBRARY_CALLS = 200;

    static {
        // load the metadata now, not on the first request
        for (String region : REGIONS) {
            UTIL.getExampleNumber(region);
        }
        for (String region : MORE_REGIONS) {
            UTIL.getExampleNumber(region);
        }
    }

    /**
     * Digit groups with separators (space, no-break space, - . /, parentheses), optionally after +.
     * Not glued to letters, paths, versions, amounts or longer numbers.
     */
    private static final Pattern CANDIDATE = Pattern.compile(
            "(?=[+(0-9])(?<![\\p{IsLatin}\\p{IsCyrillic}\\p{IsGreek}\\p{N}_+\\-./#@$€£¥₹\\\\])(?<!\\d[ \\u00A0.\\-/])(\\+[ \\u00A0]?)?\\(?\\d{1,14}\\)?"
                    + "(?:(?:[ \\u00A0]?[-./][ \\u00A0]?|[ \\u00A0]|(?<=\\)))\\(?\\d{1,12}\\)?){0,7}+"
                    + "(?![\\p{IsLatin}\\p{IsCyrillic}\\p{IsGreek}\\p{N}_]|[-./]\\p{N}|:[\\p{L}\\p{N}]|,\\d{1,2}(?![\\d/.-]))");

    /** Words that say a number is a phone number (several languages, and the usual abbreviations). */
    private static final Set<String> PHONE_WORDS = Set.of(
            "tel",
            "tél",
            "tfn",
            "ph",
            "phone",
            "phones",
            "telephone",
            "téléphone",
            "telefon",
            "telefono",
            "teléfono",
            "telefone",
            "telefoon",
            "telemóvel",
            "telemovel",
            "mobile",
            "mobil",
            "mobiel",
            "móvil",
            "movil",
            "mob",
            "cell",
            "cellphone",
            "cellulare",
            "celular",
            "handy",
            "portable",
            "gsm",
            "fax",
            "call",
            "calls",
            "called",
            "calling",
            "ring",
            "sms",
            "whatsapp",
            "telegram",
            "viber",
            "contact",
            "reach",
            "dial",
            "anrufen",
            "rufnummer",
            "durchwahl",
            "erreichbar",
            "appeler",
            "joindre",
            "llamar",
            "llámame",
            "chiamare",
            "chiamami",
            "bellen",
            "bel",
            "ligar",
            "hotline",
            // Indonesian, Malay, Nordic, Finnish, Vietnamese (unaccented), Greek abbreviations
            "hp",
            "handphone",
            "ponsel",
            "telp",
            "telepon",
            "wa",
            "tlf",
            "tlf.nr",
            "puh",
            "puhelin",
            "matkapuhelin",
            "sđt",
            "sdt",
            "zalo",
            "τηλ",
            "τηλέφωνο",
            "κινητό",
            "telefonní",
            "mobilní",
            "helpline",
            "callback",
            "rückruf",
            "numer",
            "numerem",
            "numero",
            "número");
    /** Non-Latin phone words and symbols, found as substrings. */
    private static final String[] PHONE_MARKS = {
        "電話", "携帯", "फ़ोन", "फोन", "मोबाइल", "☎", "📞", "📱", "she's at", "he's at", "I'm at", "điện thoại", "di động",
        "โทร", "เบอร์", "هاتف", "جوال", "موبايل", "رقم الهاتف", "טלפון", "נייד", "手机", "电话", "联系方式", "전화", "휴대폰"
    };

    /** Words that say the number next to them is free to call: a company's service line, not a person's. */
    private static final String[] FREE_CALL_MARKS = {
        "toll-free",
        "toll free",
        "tollfree",
        "freephone",
        "free phone",
        "freecall",
        "gratuit",
        "gratuito",
        "gratuita",
        "gratis",
        "grátis",
        "kostenlos",
        "kostenfrei",
        "gebührenfrei",
        "numéro vert",
        "numero verde",
        "línea gratuita",
        "linha gratuita",
        "bebas pulsa",
        "bebas biaya",
        "フリーダイヤル",
        "無料",
        "免费",
        "수신자부담",
        "무료",
        "ücretsiz",
        "bezpłatn",
        "avgiftsfri",
        "gratisnummer",
        "maksuton",
        "δωρεάν",
        "miễn phí"
    };
    /** "M: 0612…", "T. 030…", "Tel.:": a one-letter label and a colon just before the number. */
    private static final Pattern LETTER_LABEL =
            Pattern.compile("(?<![\\p{L}\\p{N}])[MTPCFHWOmtpcfhwo]\\.?[ \\u00A0]?:[ \\u00A0]?$");

    /** Words that say a number is something else: an order, an invoice, a tracking or account number. */
    private static final Set<String> OTHER_NUMBER_WORDS = Set.of(
            "order",
            "orders",
            "bestellung",
            "bestellnummer",
            "commande",
            "pedido",
            "ordine",
            "bestelling",
            "invoice",
            "rechnung",
            "facture",
            "factura",
            "fattura",
            "factuur",
            "ticket",
            "incident",
            "ref",
            "reference",
            "referenz",
            "réf",
            "tracking",
            "sendung",
            "sendungsnummer",
            "shipment",
            "parcel",
            "package",
            "awb",
            "isbn",
            "issn",
            "ean",
            "upc",
            "gtin",
            "sku",
            "article",
            "artikel",
            "serial",
            "sn",
            "imei",
            "iccid",
            "imsi",
            "mac",
            "uuid",
            "id",
            "pid",
            "uid",
            "gid",
            "build",
            "version",
            "release",
            "commit",
            "port",
            "zip",
            "postcode",
            "plz",
            "account",
            "acct",
            "konto",
            "compte",
            "cuenta",
            "conto",
            "iban",
            "bic",
            "blz",
            "routing",
            "aba",
            "transaction",
            "txn",
            "payment",
            "batch",
            "policy",
            "claim",
            "vin",
            "container",
            "booking",
            "reservation",
            "pnr",
            "confirmation",
            "voucher",
            "coupon",
            "pin",
            "otp",
            "code",
            "amount",
            "total",
            "sum",
            "balance",
            "price",
            "cost",
            "salary",
            "revenue",
            "population",
            "rows",
            "count",
            "size",
            "bytes",
            "checksum",
            "crc",
            "hash",
            "offset",
            "seed",
            "nonce",
            "epoch",
            "timestamp",
            "ts",
            "duration",
            "latency",
            "steuer",
            "tax",
            "ssn",
            "nino",
            "insee",
            "nir",
            "aadhaar",
            "dni",
            "kundennummer",
            "membership",
            "license",
            "licence",
            "permit",
            "passport",
            "part",
            "model",
            "catalog",
            "catalogue",
            "item",
            "firmware",
            // plurals and the ids of build systems, warehouses and memberships
            "ids",
            "invoices",
            "tickets",
            "items",
            "parts",
            "models",
            "skus",
            "builds",
            "versions",
            "versioncode",
            "artifact",
            "artifacts",
            "bin",
            "bins",
            "slot",
            "aisle",
            "member",
            "members",
            "policies",
            "claims",
            "accounts",
            "bankgiro",
            "plusgiro",
            "org",
            "orgnr",
            "polis",
            "vorgang",
            "aktenzeichen",
            "kundennr",
            "kontonr",
            // other languages' order, booking, customer and business-register words
            "confirmación",
            "confirmacion",
            "confirmação",
            "conferma",
            "bestätigung",
            "localizador",
            "reserva",
            "póliza",
            "poliza",
            "polizza",
            "apólice",
            "vat",
            "reg",
            "ust",
            "mwst",
            "tva",
            "iva",
            "btw",
            "nip",
            "regon",
            "krs",
            "gst",
            "gstin",
            "siret",
            "siren",
            // check-digit words: a number whose checksum is discussed is an identifier
            "prüfziffer",
            "prüfsumme",
            "prüfzahl",
            "kontrollziffer",
            "luhn",
            "verhoeff",
            "idnr",
            "steuer-id",
            "steuerid");

    private static final Pattern UNIT_AFTER = Pattern.compile(
            "(?i)^[ \\u00A0]?(?:%|‰|€|\\$|£|¥|₹|usd|eur|gbp|chf|jpy|inr|brl|mxn|aud|ms|µs|us|ns|sec|secs|seconds|s|min|mins|"
                    + "h|hrs|hours|days|kb|mb|gb|tb|kib|mib|gib|bytes|b|px|pt|km|kg|g|m|mm|cm|ft|mi|lbs|users|rows|records|"
                    + "requests|reqs|items|tokens|points|pts|views|downloads|times|x|hz|khz|mhz|ghz|rpm|qps|rps|ops|"
                    + "euro|euros|dollars|pounds|rupees|reais|pesos|yen|lakh|crore|mio|mrd|bn|k)(?!\\p{L})");

    private static final Pattern CURRENCY_BEFORE =
            Pattern.compile("(?i)(?:[$€£¥₹]|usd|eur|gbp|chf|inr|brl|mxn|rs\\.?|r\\$)[ \\u00A0]?$");

    /** A date anywhere in the candidate ("11. 2024-05-06" is a list item and a date, "02.05.24 18" a receipt's date). */
    private static final Pattern DATE_INSIDE =
            Pattern.compile("(?<!\\d)(?:(?:19|20)\\d{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\\d|3[01])"
                    + "|(?:0?[1-9]|[12]\\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\\d{2}"
                    + "|(?:0?[1-9]|1[0-2])([/-])(?:0?[1-9]|[12]\\d|3[01])\\1(?:19|20)\\d{2})(?!\\d)");

    private static final Pattern SHORT_DATE_INSIDE = Pattern.compile(
            "(?<!\\d)(?:0?[1-9]|[12]\\d|3[01])([./])(?:0?[1-9]|1[0-2])\\1\\d{2}(?![\\d.])|(?<!\\d)(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\\d|3[01])/\\d{2}(?!\\d)");
    private static final Pattern IPV4 =
            Pattern.compile("(?<![\\d.])\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?![\\d.]|\\.\\d)");
    /** International call prefix written instead of +: 00 (most of the world) or 011 (North America), then a country code. */
    private static final Pattern IDD = Pattern.compile("(?:00|011)[ \\u00A0]?[1-9]");
    /** 123-45-6789, 123 45 6789: a US SSN's grouping, never a phone's. */
    private static final Pattern SSN_SHAPE = Pattern.compile("^\\d{3}([- ])\\d{2}\\1\\d{4}$");

    private static final Pattern LOCAL_NANP = Pattern.compile("[2-9]\\d{2}-\\d{4}");
    /** (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX, 1-NXX-NXX-XXXX: the North American shape. */
    private static final Pattern NANP_SHAPE =
            Pattern.compile("^(?:1[-. ])?(?:\\([2-9]\\d{2}\\) ?|[2-9]\\d{2}[-.])\\d{3}[-.]\\d{4}$");

    /**
     * Numbers written without their +: URL-encoded ({@code From=%2B61438271905}, a webhook's form body)
     * or as E.164 digits under a sender/recipient key ({@code "from":"919845210376"}, WhatsApp's and
     * Twilio's payloads).
     */
    private static final Pattern IMPLICIT_PLUS = Pattern.compile("%2[Bb](\\d{8,15})(?!\\d)"
            + "|(?i)[\"']?(?:from|to|phone|phone_number|mobile|msisdn|wa_id|caller|callee|recipient|sender)[\"']?"
            + "[ \\t]{0,2}[:=][ \\t]{0,2}[\"']?(\\d{10,15})(?![\\d.])");

    /** Whether {@code text} holds a phone number; only its digit regions are scanned. */
    static boolean find(String text, Clusters clusters) {
        int[] budget = {MAX_LIBRARY_CALLS};
        if (text.indexOf('%') >= 0 || text.indexOf(':') >= 0 || text.indexOf('=') >= 0) {
            Matcher m = IMPLICIT_PLUS.matcher(text);
            while (m.find() && budget[0] > 0) {
                String digits = m.group(1) != null ? m.group(1) : m.group(2);
                if (!FictionalPhones.fictional("+" + digits)
                        && international("+" + digits, m.group(1) != null, budget)) {
                    return true;
                }
            }
        }
        return clusters.any(CANDIDATE, 7, text, m -> {
            if (budget[0] <= 0) {
                return false;
            }
            String candidate = m.group();
            if (FictionalPhones.fictional(candidate)) {
                return false; // 555-0147, 020 7946 0321: reserved for fiction and documentation
            }
            int digits = countDigits(candidate);
            if (digits >= 8
                    && digits <= 18
                    && phone(text, m.start(), m.end(), candidate, m.group(1) != null, digits, budget)) {
                return true;
            }
            // "call me at 555-0147": a North American number without its area code, next to a phone word
            return digits == 7 && LOCAL_NANP.matcher(candidate).matches() && phoneWord(text, m.start(), m.end());
        });
    }

    private static boolean phone(
            String text, int start, int end, String candidate, boolean plus, int digits, int[] budget) {
        boolean idd = !plus && IDD.matcher(candidate).lookingAt();
        // judged last, for a number that is a phone by every other test: 1-800-277-6107, 0120-462-140
        return phoneShaped(text, start, end, candidate, plus, digits, budget)
                && !serviceLine(candidate, plus || idd, budget);
    }

    private static boolean phoneShaped(
            String text, int start, int end, String candidate, boolean plus, int digits, int[] budget) {
        boolean separated = hasSeparator(candidate);
        boolean idd = !plus && IDD.matcher(candidate).lookingAt();
        // shapes of other things, judged on the candidate alone (cheapest first)
        if (!plus
                && !idd
                && (DATE_INSIDE.matcher(candidate).find()
                        || SHORT_DATE_INSIDE.matcher(candidate).find())) {
            return false;
        }
        if (IPV4.matcher(candidate).find() || dottedVersion(candidate, plus)) {
            return false;
        }
        if (!plus && (SSN_SHAPE.matcher(candidate).matches() || singleDigitGroups(candidate) >= 2)) {
            return false; // "3 5 7 9 11 13 15" is a sequence, 123-45-6789 an SSN
        }
        if (Words.documentation(text, start)) {
            return false; // "E.164, e.g. +15555550100": a format shown, not a number given
        }
        if (!plus
                && IBAN_HEAD
                        .matcher(text.subSequence(Math.max(0, start - 40), start))
                        .find()) {
            return false; // the last groups of an IBAN
        }
        if (EXAMPLE_BEFORE
                .matcher(text.subSequence(Math.max(0, start - 12), start))
                .find()) {
            return false; // "IDs like 12-0441-0882": a format illustrated, not a number given
        }
        boolean phoneWord = phoneWord(text, start, end);
        if (!plus && !idd && !separated && !AREA_CODE.matcher(candidate).find() && !phoneWord) {
            return false; // a bare digit run is an id, a timestamp or an amount unless a phone word says otherwise
        }
        if (UNIT_AFTER
                        .matcher(text.subSequence(end, Math.min(text.length(), end + 12)))
                        .find()
                || CURRENCY_BEFORE
                        .matcher(text.subSequence(Math.max(0, start - 5), start))
                        .find()) {
            return false;
        }
        if (!plus && numberOfSomethingElse(text, start)) {
            return false; // "Numer klienta: 5581693343", "número de cliente 5581693343"
        }
        if (!plus
                && (!phoneWord || otherWordCloser(text, start, end))
                && (Words.anyIn(text, start - 32, start, Phones::otherNumberWord, false)
                        || Words.markIn(text, start - 32, start, "#", "№", "n°", "nº"))) {
            return false;
        }
        if (Words.markIn(text, start - 40, start, FREE_CALL_MARKS)) {
            return false; // "our toll-free line", "teléfono gratuito", "フリーダイヤル": a company's service line
        }
        if (plus || idd) {
            if (digits > 15 + (idd ? 3 : 0)) {
                return false;
            }
            String region = idd && candidate.startsWith("011") ? "US" : "DE";
            return library(candidate, region, Leniency.POSSIBLE, budget)
                    || (groups(candidate) >= 3
                            && knownCountryCode(
                                    candidate, region)); // +52 1 55 …: an old or new range the metadata does not know
        }
        if (digits > 13) {
            return false;
        }
        if (NANP_SHAPE.matcher(candidate).matches()) {
            return true;
        }
        List<String> regions = candidate.replace("(", "").startsWith("0") ? TRUNK_ZERO : NO_TRUNK;
        for (String region : regions) {
            if (library(candidate, region, Leniency.VALID, budget) && trunkGrouping(candidate, region)) {
                return true;
            }
        }
        if (phoneWord) {
            for (String region : MORE_REGIONS) {
                if (library(candidate, region, Leniency.VALID, budget)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Number types of a company's service line, not of a person. */
    private static final Set<PhoneNumberType> SERVICE_TYPES = EnumSet.of(
            PhoneNumberType.TOLL_FREE, PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.UAN);

    /**
     * A company's toll-free, premium, shared-cost or universal-access line, judged by how it is
     * written: the number is valid with such a type in a region (its own with a country code, else one
     * of the default regions) whose national or international format groups the digits as the text
     * does (0120-462-140 as in Japan, 1-800-277-6107 as in North America, 0800 658 6407), and valid as
     * a personal number in no region written that way (090-1234-5678 is a Japanese mobile as written,
     * although UK premium-rate numbers start 090 too). When no region formats it as written, it is a
     * service line if some default region has it as one and no region as a personal number. A number
     * written without groups is never called a service line.
     */
    private static boolean serviceLine(String candidate, boolean international, int[] budget) {
        if (budget[0]-- <= 0 || groups(candidate) < 2) {
            return false;
        }
        String written = groupLengths(candidate);
        String number = international && candidate.startsWith("00")
                ? "+" + candidate.substring(2)
                : international && candidate.startsWith("011") ? "+" + candidate.substring(3) : candidate;
        if (!international && !serviceSomewhere(number)) {
            return false; // the common case: no default region has it as a service line (12 parses)
        }
        boolean service = false;
        boolean serviceAnyLayout = false;
        boolean personalAnyLayout = false;
        for (String region : international ? List.of("ZZ") : ALL_REGIONS) {
            try {
                Phonenumber.PhoneNumber parsed = UTIL.parse(number, region);
                if (!UTIL.isValidNumber(parsed)) {
                    continue;
                }
                boolean asWritten = written.equals(groupLengths(UTIL.format(parsed, PhoneNumberFormat.NATIONAL)))
                        || written.equals(groupLengths(UTIL.format(parsed, PhoneNumberFormat.INTERNATIONAL)));
                PhoneNumberType type = UTIL.getNumberType(parsed);
                if (!asWritten) {
                    personalAnyLayout |= PERSONAL_TYPES.contains(type);
                    serviceAnyLayout |= SERVICE_TYPES.contains(type) && (international || REGIONS.contains(region));
                    continue;
                }
                if (PERSONAL_TYPES.contains(type)) {
                    return false; // 0917 482 3316 is a Philippine mobile as written (and UK premium rate too)
                }
                service |= SERVICE_TYPES.contains(type) && (international || REGIONS.contains(region));
            } catch (NumberParseException e) {
                // not a number in this region's plan
            }
        }
        // no region groups it this way (Spain's 900 lines are printed 900 18 75 35 and written 900 187 535):
        // a service line where some region has it, if no region has it as a personal number
        return service || (serviceAnyLayout && !personalAnyLayout);
    }

    /** A valid service-type number (toll-free, premium, shared-cost, UAN) of one of the default regions. */
    private static boolean serviceSomewhere(String number) {
        for (String region : REGIONS) {
            try {
                Phonenumber.PhoneNumber parsed = UTIL.parse(number, region);
                if (SERVICE_TYPES.contains(UTIL.getNumberType(parsed))) {
                    return true;
                }
            } catch (NumberParseException e) {
                // not a number in this region's plan
            }
        }
        return false;
    }

    /** The lengths of the digit groups, "0120-462-140" → "4,3,3". */
    private static String groupLengths(String s) {
        StringBuilder out = new StringBuilder();
        int run = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i < s.length() && Character.isDigit(s.charAt(i))) {
                run++;
            } else if (run > 0) {
                out.append(run).append(',');
                run = 0;
            }
        }
        return out.toString();
    }

    /** {@code number} (with its +) is possible ({@code possible}) or valid, for a country that has one. */
    private static boolean international(String number, boolean possible, int[] budget) {
        if (budget[0]-- <= 0) {
            return false;
        }
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(number, "ZZ");
            return !"ZZ".equals(UTIL.getRegionCodeForCountryCode(parsed.getCountryCode()))
                    && (possible ? UTIL.isPossibleNumber(parsed) : UTIL.isValidNumber(parsed));
        } catch (NumberParseException e) {
            return false;
        }
    }

    /**
     * "flag this as a phone number? \"Uploading artifact 412-38877-10\"": the word right before the
     * number names it; a phone word further back, and none just after, talks about something else.
     */
    private static boolean otherWordCloser(String text, int start, int end) {
        int other = Words.lastIn(text, start - 32, start, Phones::otherNumberWord);
        int phone = Words.lastIn(text, start - 40, start, PHONE_WORDS);
        return other >= 0
                && other > phone
                && (phone < 0 || other - phone > 12) // "Tel.-Nr.": one label, a phone's
                && !Words.anyIn(text, end, end + 16, PHONE_WORDS)
                && !Words.markIn(text, start - 40, end + 16, PHONE_MARKS);
    }

    /** Endings of labels that name a number: Polisnummer, Vorgangsnummer, Steuernummer, Versicherungsschein-Nr. */
    private static final List<String> NUMBER_LABEL_ENDINGS =
            List.of("nummer", "nummern", "numer", "numero", "número", "numéro", "nr");

    private static final List<String> PHONE_LABEL_CJK = List.of("전화", "휴대", "핸드폰", "연락처", "電話", "携帯", "连络", "联系");

    /** Starts of the labels that name a phone number: Telefonnummer, Handynummer, Rufnummer, Tel.-Nr. */
    private static final List<String> PHONE_LABEL_STARTS = List.of(
            "tel",
            "phone",
            "handy",
            "mobil",
            "mobiel",
            "ruf",
            "fax",
            "notruf",
            "durchwahl",
            "festnetz",
            "kontakt",
            "cell",
            "gsm",
            "whatsapp");

    /**
     * A word (lower case) that says the number after it is not a phone number: one of {@link
     * #OTHER_NUMBER_WORDS}, or a label ending in "nummer"/"Nr." whose first part is not a phone word
     * ("Polisnummer: 355.587.546", "Versicherungsschein-Nr. 999-6061891-9"; not "Telefonnummer"), or a
     * bare "Nr." (in "Tel.-Nr." the phone word right before it wins, see {@link #otherWordCloser}).
     */
    private static boolean otherNumberWord(String word) {
        if (OTHER_NUMBER_WORDS.contains(word)) {
            return true;
        }
        if (word.contains("번호") || word.contains("番号")) {
            // 접수번호, 伝票番号: a numbered thing; 전화번호, 電話番号, 携帯番号: a phone
            return PHONE_LABEL_CJK.stream().noneMatch(word::contains);
        }
        for (String ending : NUMBER_LABEL_ENDINGS) {
            if (word.endsWith(ending)) {
                String head = word.substring(0, word.length() - ending.length());
                if (head.isEmpty()) {
                    return ending.equals("nr"); // "Tel.-Nr." is told apart by otherWordCloser
                }
                return head.length() >= 3 && PHONE_LABEL_STARTS.stream().noneMatch(head::startsWith);
            }
        }
        return false;
    }

    private static final Set<String> NUMBER_WORDS =
            Set.of("number", "numer", "número", "numero", "numéro", "nummer", "nr", "no", "nº", "n°");

    /** Words after "number" that do not say what it counts ("my number here: …", "the number below"). */
    private static final Set<String> NOT_A_NAMING_NOUN =
            Set.of("here", "below", "above", "now", "again", "too", "also", "is", "was", "ist", "es", "est");

    private static final Set<String> LINKING_WORDS =
            Set.of("de", "do", "da", "del", "des", "du", "di", "van", "of", "the");

    /**
     * "Numer klienta: 5581693343", "número de confirmación 566773241": a number word, then (skipping
     * "de", "of"…) exactly one word that is not a phone word, right before the value: that noun names
     * what the number is. "Number: 0612…", "número de teléfono", "my number here is …" and "number from
     * the form: …" are not this.
     */
    private static boolean numberOfSomethingElse(String text, int start) {
        int from = Math.max(0, start - 40);
        int at = Words.lastIn(text, from, start, NUMBER_WORDS);
        if (at < 0) {
            return false;
        }
        int nouns = 0;
        int i = at;
        while (i < start && Character.isLetter(text.charAt(i))) {
            i++; // past the number word itself
        }
        while (i < start) {
            if (!Character.isLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int s = i;
            while (i < start && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String word = text.substring(s, i).toLowerCase(Locale.ROOT);
            if (PHONE_WORDS.contains(word)) {
                return false;
            }
            if (!LINKING_WORDS.contains(word)) {
                nouns++;
            }
        }
        return nouns == 1 && !Words.anyIn(text, at, start, NOT_A_NAMING_NOUN);
    }

    /** "like" or "such as" right before a number: an illustration of a format. */
    private static final Pattern EXAMPLE_BEFORE = Pattern.compile("(?i)(?<!\\p{L})(?:like|such\\s+as)[\\s:\"'(]{1,3}$");

    /** An area code in parentheses before more digits, "(555) 010-1234"; "(2025060401)" is a bare run. */
    private static final Pattern AREA_CODE = Pattern.compile("\\(\\d{1,5}\\)[ \\u00A0.-]?\\d");

    /** The tail of an IBAN written in groups ("NL18 ABNA 4078 4819 56"): the digits after its letters. */
    private static final Pattern IBAN_HEAD =
            Pattern.compile("[A-Z]{2}\\d{2}(?:[ \\u00A0]?[A-Z0-9]{4}){1,7}[ \\u00A0]?$");

    /** A phone word in the 40 characters before or 16 after the candidate, or a one-letter label ("M:"). */
    private static boolean phoneWord(String text, int start, int end) {
        return Words.anyIn(text, start - 40, end + 16, PHONE_WORDS)
                || Words.markIn(text, start - 40, end + 16, PHONE_MARKS)
                || LETTER_LABEL
                        .matcher(text.subSequence(Math.max(0, start - 6), start))
                        .find();
    }

    private static int groups(String candidate) {
        int groups = 0;
        boolean inDigits = false;
        for (int i = 0; i < candidate.length(); i++) {
            boolean d = Character.isDigit(candidate.charAt(i));
            if (d && !inDigits) {
                groups++;
            }
            inDigits = d;
        }
        return groups;
    }

    /** The number parses with a country code in use and a national number of 7 to 12 digits. */
    private static boolean knownCountryCode(String candidate, String region) {
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(candidate, region);
            int nationalDigits = Long.toString(number.getNationalNumber()).length();
            return !"ZZ".equals(UTIL.getRegionCodeForCountryCode(number.getCountryCode()))
                    && nationalDigits >= 7
                    && nationalDigits <= 12;
        } catch (NumberParseException e) {
            return false;
        }
    }

    /** A North American number read with its trunk 1 must show the 1 as its own group ("1 234 567 8901"). */
    private static boolean trunkGrouping(String candidate, String region) {
        if (!region.equals("US")) {
            return true;
        }
        String d = candidate.replaceAll("\\D", "");
        if (d.length() == 11 && d.charAt(0) == '1') {
            return candidate.startsWith("1 ")
                    || candidate.startsWith("1-")
                    || candidate.startsWith("1.")
                    || candidate.startsWith("1(");
        }
        return true;
    }

    private static boolean library(String candidate, String region, Leniency leniency, int[] budget) {
        if (budget[0]-- <= 0) {
            return false;
        }
        // parse and check first (a few µs); findNumbers (which also checks how the number is written) only for
        // survivors
        try {
            Phonenumber.PhoneNumber parsed = UTIL.parse(candidate, region);
            if (leniency == Leniency.POSSIBLE ? !UTIL.isPossibleNumber(parsed) : !UTIL.isValidNumber(parsed)) {
                return false;
            }
        } catch (NumberParseException e) {
            return false;
        }
        for (PhoneNumberMatch match : UTIL.findNumbers(candidate, region, leniency, 2)) {
            // the whole candidate must be the number, not a part of it ("2024 0612345678" is not one number),
            // its country code one that a country uses, and a national number one a person could have
            // (a Brazilian shared-cost 4003-xxxx line in an access log's "400 35836" is not)
            if (countDigits(match.rawString()) >= countDigits(candidate) - 1
                    && !"ZZ"
                            .equals(UTIL.getRegionCodeForCountryCode(
                                    match.number().getCountryCode()))
                    && (leniency == Leniency.POSSIBLE || PERSONAL_TYPES.contains(UTIL.getNumberType(match.number())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * "1.2.3456", "10.0.19041.1": dotted groups with a one-digit group are versions; "52.520008",
     * "3.14159265": one dot between two groups is a decimal number. Neither is a phone.
     */
    private static boolean dottedVersion(String candidate, boolean plus) {
        if (plus || candidate.indexOf('.') < 0) {
            return false;
        }
        if (candidate.indexOf('.') == candidate.lastIndexOf('.') && groups(candidate) == 2) {
            return true;
        }
        for (String g : candidate.split("\\.")) {
            if (g.strip().length() == 1) {
                return true;
            }
        }
        return false;
    }

    private static int singleDigitGroups(String candidate) {
        int groups = 0;
        int run = 0;
        for (int i = 0; i <= candidate.length(); i++) {
            if (i < candidate.length() && Character.isDigit(candidate.charAt(i))) {
                run++;
            } else {
                if (run == 1) {
                    groups++;
                }
                run = 0;
            }
        }
        return groups;
    }

    private static boolean hasSeparator(String candidate) {
        String inner = candidate;
        if (inner.endsWith(")") && inner.indexOf('(') <= 0) {
            inner = inner.substring(0, inner.length() - 1); // "(run 9418827364)": the sentence's parenthesis
        }
        if (inner.startsWith("(") && inner.indexOf(')') < 0) {
            inner = inner.substring(1); // "(2025060401)": a bare run in parentheses
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c < '0' || c > '9') {
                return true;
            }
        }
        return false;
    }

    static boolean near(Pattern words, String text, int from, int to) {
        int f = Math.max(0, from);
        int t = Math.min(text.length(), to);
        if (f >= t) {
            return false;
        }
        Matcher m = words.matcher(text);
        m.region(f, t);
        m.useTransparentBounds(true);
        return m.find();
    }

    static int countDigits(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }
}
