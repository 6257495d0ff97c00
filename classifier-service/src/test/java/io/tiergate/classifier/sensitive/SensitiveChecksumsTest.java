package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check rules on published example values and on values that break exactly one rule. */
class SensitiveChecksumsTest {

    @Test
    void germanTaxId() {
        assertThat(Checksums.germanTaxId("86095742719")).isTrue(); // one digit twice
        assertThat(Checksums.germanTaxId("65929970489")).isTrue(); // one digit three times, not in a row
        assertThat(Checksums.germanTaxId("86095742718")).isFalse(); // check digit
        assertThat(Checksums.germanTaxId("12345678903")).isFalse(); // check digit right, but no digit repeated
        // a digit three times in a row: not issued, but accepted as the common validators (python-stdnum) do
        assertThat(Checksums.germanTaxId("11123456786")).isTrue();
        assertThat(Checksums.germanTaxId("06095742719")).isFalse(); // leading zero
        assertThat(Checksums.germanTaxId("8609574271")).isFalse(); // length
    }

    @Test
    void frenchNir() {
        assertThat(Checksums.frenchNir("269054958815780")).isTrue();
        assertThat(Checksums.frenchNir("185052A00401270")).isTrue(); // Corse-du-Sud counts as 19
        assertThat(Checksums.frenchNir("279112B05003306")).isTrue(); // Haute-Corse counts as 18
        assertThat(Checksums.frenchNir("269054958815781")).isFalse();
        assertThat(Checksums.frenchNir("185052B00401270")).isFalse(); // 2A's key under 2B
        assertThat(Checksums.frenchNir("26905495881578")).isFalse();
    }

    @Test
    void verhoeffAndAadhaar() {
        assertThat(Checksums.verhoeff("2363")).isTrue(); // the textbook example: 236 has check digit 3
        assertThat(Checksums.verhoeff("2364")).isFalse();
        assertThat(Checksums.aadhaar("234123412346")).isTrue();
        assertThat(Checksums.aadhaar("234123412345")).isFalse();
        assertThat(Checksums.aadhaar("134123412346")).isFalse(); // never starts with 0 or 1
    }

    @Test
    void spanishDniAndSsnRanges() {
        assertThat(Checksums.spanishDni("12345678", 'Z')).isTrue();
        assertThat(Checksums.spanishDni("12345678", 'A')).isFalse();
        assertThat(Checksums.plausibleSsn(512, 44, 9021)).isTrue();
        assertThat(Checksums.plausibleSsn(666, 44, 9021)).isFalse();
        assertThat(Checksums.plausibleSsn(912, 44, 9021)).isFalse();
    }
}
