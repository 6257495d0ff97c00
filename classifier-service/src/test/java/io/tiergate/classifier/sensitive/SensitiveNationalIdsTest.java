package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** National identifiers with their check rules, and numbers of the same shape that fail them. */
class SensitiveNationalIdsTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "US_SSN | HR ticket: SSN 512-44-9021 for Jane Marsh",
                "US_SSN | correct one is 695 74 4147",
                "US_SSN | Social Security Number: 512449021",
                "US_SSN | ssn# 512449021, position: warehouse lead",
                "UK_NINO | NI number JH 52 73 81 C",
                "UK_NINO | nino=JG103759A",
                "ES_DNI | DNI 12345678Z",
                "ES_DNI | documento 12345678-Z",
                "ES_DNI | DNI 12.345.678-Z",
                "ES_DNI | NIE X1234567L",
                "ES_DNI | NIE X-1234567-L",
                "DE_TAX_ID | Steuer-ID 86 095 742 719",
                "DE_TAX_ID | Steuerliche Identifikationsnummer: 47036892816",
                "DE_TAX_ID | personalnr;steuer_id 4471;65929970489",
                "DE_TAX_ID | 57549285017",
                "FR_NIR | NIR 2 69 05 49 588 157 80",
                "FR_NIR | numéro de sécu 269054958815780",
                "FR_NIR | née à Ajaccio: 1 85 05 2A 004 012 70",
                "FR_NIR | Bastia 279112B05003306",
                "FR_NIR | carte vitale 3 85 05 75 123 456 70",
                "IN_AADHAAR | Aadhaar: 2341 2341 2346",
                "IN_AADHAAR | bring the original Aadhaar card (4991-1866-5246) to the branch",
                "IN_AADHAAR | EMP-2231, Vikram Singh, 4991 1866 5246, Bengaluru",
                "IN_AADHAAR | Aadhaar No. 499118665246",
                "IN_AADHAAR | my UID 234123412346 still shows pending",
            })
    void findsValidIds(SensitiveKind kind, String text) {
        assertThat(detector.detect(text)).contains(kind);
    }

    @ParameterizedTest(name = "no {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // SSN: ranges never issued, specimens, 9 bare digits without context, spaced groups continuing an id
                "US_SSN | 000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000 078-05-1120 219-09-9999",
                "US_SSN | order 512449021 shipped",
                "US_SSN | TRACKING #: 1Z 599 27 2436",
                "US_SSN | example SSN 512-44-9021 in the docs",
                // NINO: letters never issued
                "UK_NINO | QQ123456C BG123456A AB123456E DA123456A",
                // DNI: wrong letter
                "ES_DNI | DNI 12345678A",
                // Steuer-IdNr: wrong check digit, no repeated digit, leading zero, a documented example
                "DE_TAX_ID | Steuer-ID 86095742718",
                "DE_TAX_ID | Steuer-ID 12345678903",
                "DE_TAX_ID | 06095742719",
                "DE_TAX_ID | Beispiel: 86095742719",
                // NIR: wrong key, sex digit 3 without context, impossible month
                "FR_NIR | NIR 2 69 05 49 588 157 81",
                "FR_NIR | 385057512345670",
                "FR_NIR | 2 69 15 49 588 157 80",
                // Aadhaar: Verhoeff fails, starts with 0 or 1, plain without context, after a tracking word
                "IN_AADHAAR | Aadhaar: 2341 2341 2345",
                "IN_AADHAAR | 1341 2341 2346",
                "IN_AADHAAR | id 234123412346",
                "IN_AADHAAR | FedEx tracking 4991 1866 5246",
            })
    void ignoresNumbersFailingTheirRules(SensitiveKind kind, String text) {
        assertThat(detector.detect(text)).doesNotContain(kind);
    }
}
