package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Card detection is exactly "issuer prefix + length + Luhn", wherever the number is. */
class PaymentCardProperties {

  private final SensitiveDataDetector detector = new SensitiveDataDetector();

  @Property
  void aLuhnValidVisaNumberIsACard(@ForAll("visaBodies") String body) {
    String card = body + Checksums.luhnCheckDigit(body);
    assertThat(Checksums.luhn(card)).isTrue();
    assertThat(detector.detect("charge " + card + " today")).contains(SensitiveKind.CREDIT_CARD);
    assertThat(detector.detect("charge " + grouped(card) + " today")).contains(SensitiveKind.CREDIT_CARD);
  }

  @Property
  void aWrongCheckDigitIsNotACard(@ForAll("visaBodies") String body, @ForAll("offsets") int offset) {
    int right = Checksums.luhnCheckDigit(body);
    String card = body + (right + offset) % 10;
    assertThat(detector.detect("charge " + card + " today")).doesNotContain(SensitiveKind.CREDIT_CARD);
  }

  @Property
  void aNumberWithNoIssuerPrefixIsNotACard(@ForAll("unissuedBodies") String body) {
    String number = body + Checksums.luhnCheckDigit(body);
    assertThat(detector.detect("id " + number)).doesNotContain(SensitiveKind.CREDIT_CARD);
  }

  @Provide
  Arbitrary<String> visaBodies() {
    return Arbitraries.strings().numeric().ofLength(14).map(s -> "4" + s);
  }

  @Provide
  Arbitrary<String> unissuedBodies() {
    return Combinators.combine(Arbitraries.of("0", "1", "7", "8", "9"), Arbitraries.strings().numeric().ofLength(14))
        .as((first, rest) -> first + rest);
  }

  @Provide
  Arbitrary<Integer> offsets() {
    return Arbitraries.integers().between(1, 9);
  }

  private static String grouped(String card) {
    return card.substring(0, 4) + " " + card.substring(4, 8) + " " + card.substring(8, 12) + " " + card.substring(12);
  }
}
