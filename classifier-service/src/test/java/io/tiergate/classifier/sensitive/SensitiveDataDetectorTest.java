package io.tiergate.classifier.sensitive;

import static io.tiergate.classifier.sensitive.SensitiveKind.API_KEY;
import static io.tiergate.classifier.sensitive.SensitiveKind.CREDIT_CARD;
import static io.tiergate.classifier.sensitive.SensitiveKind.EMAIL;
import static io.tiergate.classifier.sensitive.SensitiveKind.ES_DNI;
import static io.tiergate.classifier.sensitive.SensitiveKind.IBAN;
import static io.tiergate.classifier.sensitive.SensitiveKind.JWT;
import static io.tiergate.classifier.sensitive.SensitiveKind.PHONE;
import static io.tiergate.classifier.sensitive.SensitiveKind.PRIVATE_KEY;
import static io.tiergate.classifier.sensitive.SensitiveKind.UK_NINO;
import static io.tiergate.classifier.sensitive.SensitiveKind.US_SSN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SensitiveDataDetectorTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} found in: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "EMAIL | please reply to jana.dvorak@posteo.de by friday",
                "EMAIL | Contact: o.brennan+alerts@mail.tiergate.io.",
                "PHONE | call me on +49 30 12345678 tomorrow",
                "PHONE | US office: +1 (555) 010-1234",
                "PHONE | (555) 010-1234 is the desk line",
                "PHONE | cell 555-010-1234",
                "PHONE | London +44 20 7183 0958",
                "CREDIT_CARD | card 4111 1111 1111 1111 exp 12/27",
                "CREDIT_CARD | mc 5555555555554444",
                "CREDIT_CARD | amex 3782 822463 10005",
                "CREDIT_CARD | discover 6011-1111-1111-1117",
                "CREDIT_CARD | visa13 4222222222222",
                "IBAN | pay to DE89 3704 0044 0532 0130 00 please",
                "IBAN | GB82WEST12345698765432",
                "IBAN | FR14 2004 1010 0505 0001 3M02 606",
                "IBAN | NL91ABNA0417164300",
                "US_SSN | SSN 123-45-6789 on file",
                "US_SSN | social security number: 123456789",
                "UK_NINO | NI number AB 12 34 56 C",
                "UK_NINO | nino=JG103759A",
                "ES_DNI | DNI 12345678Z",
                "ES_DNI | NIE X1234567L",
                "API_KEY | OPENAI_API_KEY=sk-proj-4fG7hJ2kL9mN3pQ8rS1tU6vW0xY5zA2b",
                "API_KEY | aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                "API_KEY | token: ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R",
                "API_KEY | SLACK_BOT_TOKEN=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
                "API_KEY | stripe sk_live_51H8abcdEFGH1234ijkl",
                "API_KEY | key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
                "API_KEY | STRIPE_KEY=sk-test-ZqorksUhCxPYiApHciKBAsbcBqWZXffJ",
            })
    void findsTruePositives(SensitiveKind kind, String text) {
        assertThat(detector.detect(text)).containsExactly(kind);
    }

    @ParameterizedTest(name = "private key block: {0}")
    @ValueSource(strings = {"RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY", "PGP PRIVATE KEY BLOCK"})
    void findsPrivateKeyBlocks(String label) {
        assertThat(detector.detect("deploy key:\n-----BEGIN " + label + "-----\nMIIEow...\n"))
                .containsExactly(PRIVATE_KEY);
    }

    @Test
    void findsAJwtWithAJsonHeaderAndPayload() {
        String jwt =
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assertThat(detector.detect("Authorization: Bearer " + jwt)).containsExactly(JWT);
    }

    @ParameterizedTest(name = "nothing in: {0}")
    @ValueSource(
            strings = {
                // cards: right length and prefix but Luhn fails; Luhn passes but no issuer starts with 0 or 1
                "order 4111 1111 1111 1112 shipped",
                "ref 0000 0000 0000 0000",
                "ts 1700000000000 and 1234567812345670",
                "a 20-digit id 41111111111111111111 is not a card",
                // IBAN: wrong check digits, wrong length, unknown country
                "pay to DE89 3704 0044 0532 0130 01 please",
                "GB82 WEST 1234 5698 7654 3",
                "XX89 3704 0044 0532 0130 00",
                // SSN ranges never issued, and a famous specimen
                "000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000 078-05-1120",
                // NINO: Q cannot start one, BG is never issued, E is no suffix
                "QQ123456C BG123456A AB123456E",
                // DNI with the wrong check letter
                "DNI 12345678A",
                // email look-alikes in code and git remotes
                "git clone git@github.com:tiergate/tiergate.git",
                "background: url(logo@2x.png)",
                "val s = this@MainActivity.resources",
                "@Override public String toString()",
                "npm install lodash@4.17.21",
                // numbers that are not phones
                "released 2024-01-15 at 10.0.0.1, build 1234567890, v1.2.3-4",
                "ORD-555-010-1234 is an order id",
                // placeholders and short strings are not keys
                "export OPENAI_API_KEY=sk-your-key-goes-here-xxxxxxxxxxxx",
                "AKIA1234 and ghp_abc and xoxb-your-token-here",
                "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and sk-abcdefghijklmnopqrstuvwxyz",
                "export GITHUB_TOKEN=ghp_REPLACEwithYOURtoken0000000000000000",
                // public material
                "-----BEGIN PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----",
                // JWT-shaped but the header is not JSON
                "eyJub3QganNvbg.eyJzdWIiOiIxIn0.sig",
            })
    void ignoresNearMisses(String text) {
        assertThat(detector.detect(text)).isEmpty();
    }

    @Test
    void aJwtWhoseHeaderHasNoAlgIsNotAToken() {
        String token = b64("{\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"1\"}") + ".c2lnbmF0dXJl";
        assertThat(detector.detect(token)).isEmpty();
        String signed = b64("{\"alg\":\"RS256\"}") + "." + b64("{\"sub\":\"1\"}") + ".c2lnbmF0dXJl";
        assertThat(detector.detect(signed)).containsExactly(JWT);
    }

    @Test
    void reportsEveryKindFoundOnceInSchemaOrder() {
        String text = "From bob.hale@fastmail.com: card 4111-1111-1111-1111, IBAN DE89370400440532013000, "
                + "again bob.hale@fastmail.com, call +44 20 7183 0958";
        assertThat(detector.detect(text)).containsExactly(EMAIL, PHONE, IBAN, CREDIT_CARD);
    }

    @Test
    void anEmptyOrOrdinaryPromptHasNothing() {
        assertThat(detector.detect("")).isEmpty();
        assertThat(detector.detect("Summarize this meeting: we agreed to ship v2 on 3 March, budget 12000 EUR."))
                .isEmpty();
    }

    @Test
    void kindsAreReportedNeverValues() {
        // the API returns kinds only: nothing of the input can leak through it
        assertThat(detector.detect("jana.dvorak@posteo.de"))
                .allSatisfy(k -> assertThat(k).isInstanceOf(SensitiveKind.class));
        String text = "jana.dvorak@posteo.de +49 170 3349821 DE89370400440532013000 POSTGRES_PASSWORD=Sh0pPass!2024";
        assertThat(detector.detect(text).toString()).doesNotContain("jana", "3349821", "DE89", "Sh0pPass");
        assertThat(SensitiveKind.values()).extracting(Enum::name).contains("US_SSN", "UK_NINO", "ES_DNI");
    }

    @Test
    void cardsAreFoundInsidePunctuation() {
        assertThat(detector.detect("(4111111111111111)")).containsExactly(CREDIT_CARD);
        assertThat(detector.detect("card=4111111111111111;")).containsExactly(CREDIT_CARD);
    }

    @Test
    void nationalIdsDoNotTriggerOnEachOther() {
        assertThat(detector.detect("123-45-6789")).containsExactly(US_SSN);
        assertThat(detector.detect("AB123456C")).containsExactly(UK_NINO);
        assertThat(detector.detect("12345678-Z")).containsExactly(ES_DNI);
    }

    /**
     * Guards against catastrophic regex backtracking (minutes to hours on these texts), not speed: the
     * bounds are generous because this machine class is shared and its load varies (about 20 s for all
     * the texts below at a load average of 25 on 2 cores; speed is measured by SensitiveDetectorBenchmark).
     */
    @Test
    void pathologicalTextIsScannedInBoundedTime() {
        String[] texts = {
            "x@" + "a.".repeat(50_000) + "1",
            "-----BEGIN " + "A ".repeat(50_000),
            "sk-" + "a".repeat(100_000) + "é",
            "4111 ".repeat(40_000),
            "+1 2".repeat(50_000),
            "AB12 ".repeat(40_000),
            "eyJa.".repeat(40_000)
        };
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            for (String t : texts) {
                detector.detect(t);
            }
        });
    }

    @Test
    void hostileTextForTheNewerRulesIsScannedInBoundedTime() {
        // each about 200 KB, aimed at one rule: phone candidates, keyword assignments, birth words, URL user info,
        // unterminated quotes and tags, spaced id groups, one giant digit region
        String[] texts = {
            "call 0612 345 67 ".repeat(12_000),
            "password=".repeat(22_000),
            "api_key ".repeat(25_000),
            "DOB 01.01.1990 ".repeat(13_000),
            "Name: Anna Berg born 1990-03-14 ".repeat(6_000),
            "a [at] b ".repeat(22_000),
            "postgres://a:b@".repeat(13_000),
            "token: \"".repeat(25_000),
            "<password>".repeat(20_000),
            "Authorization: Bearer ".repeat(9_000),
            "curl -u a:".repeat(20_000),
            "name: DB_PASSWORD\n value: ".repeat(7_000),
            "ssn 123456789 ".repeat(14_000),
            "2345 6789 0123 ".repeat(13_000),
            "1 85 05 78 006 084 36 ".repeat(9_000),
            "12-34-56 ".repeat(22_000),
            "1 ".repeat(100_000),
            "(0)".repeat(66_000),
            "ghp_" + "A1".repeat(100_000),
            "key".repeat(66_000) + "=" + "x".repeat(300),
            // the decoded, re-joined and spoken-number passes
            "one two three four five six seven ".repeat(6_000),
            "one two three four five six cat ".repeat(6_000),
            "1\n2  3 -4- ".repeat(20_000),
            "%41%2B".repeat(30_000),
            "a=1&b=2+".repeat(25_000),
            "\\n1".repeat(60_000)
        };
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(90), () -> {
            for (String t : texts) {
                detector.detect(t);
            }
        });
    }

    @Test
    void keysAndTokensInOnePrompt() {
        assertThat(detector.detect("AKIAIOSFODNN7EXAMPLE\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk"))
                .containsExactly(API_KEY, PRIVATE_KEY);
    }
}
