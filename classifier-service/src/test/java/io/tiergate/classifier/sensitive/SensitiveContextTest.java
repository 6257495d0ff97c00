package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a value is written decides whether it counts: URL-encoded payloads, CSV rows and tables,
 * test words that name something else, words right before a number that say what it is. Rules
 * added after evaluation set D's errors were read (docs/classifier.md, "Sensitive data").
 */
class SensitiveContextTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // URL-encoded: %40 in an address, + for a space in a form body
                "EMAIL | form_id=Qk82&name=Aino+Virtanen&email=aino.virtanen%40elisa.fi&consent=true",
                "PHONE | form_id=Qk82&phone_number=040+718+2244&company=Virtanen+Oy",
                "EMAIL | GET /unsubscribe?u=jonas.berg%40telia.se HTTP/1.1",
                // a card followed by the next field of a CSV row
                "CREDIT_CARD | PED-30211,Laura Gómez,4328679463388080,89.90",
                // "test" naming a device, a pytest function or a comment's last word, not the value
                "CREDIT_CARD | il device di test del collega: {\"pan\":\"5275274313475665\",\"exp\":\"10/27\"}",
                "FR_NIR | # NIR de mon collègue, il m'a donné l'accord pour le test\\n    assert nir_valid(\"192128636692333\")",
                "IN_AADHAAR | I want to test with my own Aadhaar 2201 5039 3986 to be sure",
                // birth words in Polish and Turkish; a table whose header names the birth column
                "DATE_OF_BIRTH | Jan Kowalczyk – ur. 11.03.1999",
                "DATE_OF_BIRTH | İlk müşteri: Zeynep Arslan, doğum tarihi 16 Haziran 1990.",
                "DATE_OF_BIRTH | 会員ID,氏名,生年月日\\nM-0012,田中 美咲,1992/4/7",
                "DATE_OF_BIRTH | 会員ID,氏名,生年月日\\nM-0013,鈴木 健太,平成3年11月2日",
                "DATE_OF_BIRTH | id;name;dob\\n7;Ana Souza;1987-03-14",
                // the Steuer-IdNr as python-stdnum checks it (a digit three times in a row passes)
                "DE_TAX_ID | \"00417\";\"Lehmann\";\"Jana\";\"65904371116\";\"1\"",
            })
    void finds(SensitiveKind kind, String text) {
        assertThat(detector.detect(text.replace("\\n", "\n"))).contains(kind);
    }

    @ParameterizedTest(name = "no {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // "like" right before a number illustrates a format
                "PHONE | Our scanner produces IDs like 12-0441-0882 and 07-1182-0310.",
                "PHONE | a 10-digit member number like 4417 882 130",
                // the word right before names the number; the phone word further back talks about a detector
                "PHONE | Why is this flagged as a phone number? \"Uploading artifact 412-38877-10 to releases\"",
                // a bare run in parentheses is not an area code
                "PHONE | versionCode 20250604 is lower than the one already on Play (2025060401).",
                // role mailboxes in other languages
                "EMAIL | send all invoices to buchhaltung@brandt-logistik.de from July 1st",
                "EMAIL | Escribe una respuesta automática para soporte@verdemar.es",
                "EMAIL | Per assistenza scrivete a assistenza@ferramenta-rossi.it",
                // a decimal with a comma in prose, not a card
                "CREDIT_CARD | the ratio came out as 4328679463388080,5 in the log",
                // a test card, and a documented example on the line after a colon
                "CREDIT_CARD | Use the test card 4000 0000 0000 0002 for declines",
                "IBAN | Example:\\n  DE89 3704 0044 0532 0130 00",
                // a birth column whose rows hold no date, or a date and no name
                "DATE_OF_BIRTH | id;name;dob\\n7;Ana Souza;unknown",
                "DATE_OF_BIRTH | id,dob\\n7,1987-03-14",
            })
    void ignores(SensitiveKind kind, String text) {
        assertThat(detector.detect(text.replace("\\n", "\n"))).doesNotContain(kind);
    }
}
