package io.tiergate.classifier.sensitive;

import static io.tiergate.classifier.sensitive.SensitiveKind.PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Phone numbers: national formats of many countries through libphonenumber, and the look-alikes it must leave alone. */
class SensitivePhonesTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "phone: {0}")
    @ValueSource(
            strings = {
                // international, with + or 00
                "call +49 30 12345678 tomorrow",
                "+44 7911 123456",
                "+1 (415) 555-2671",
                "whatsapp +905321234567",
                "0049 221 9876543 is the Cologne office",
                "Tel: +33 (0)4 72 10 33 56",
                "+81 3-5412-7780",
                "+61 2 9374 4000",
                "+55 21 98765-4321",
                "+91 98765 43210",
                "+86 138 0013 8000",
                "Mexico office: +52 1 55 1234 5678",
                "Tel:+49301234567",
                "Call (212)555-2199 today",
                "India: 098765 43210",
                // national formats
                "ring me on 07712 900123",
                "mobile 07911 123456",
                "London office 020 7183 0018",
                "Tel. 030 4829 1173",
                "Mobil 0171 2345678",
                "Telefon 089/4521773",
                "joignable au 06 12 48 93 57",
                "tél 06.12.48.93.57",
                "mi móvil es el 612 345 678",
                "cell 347 882 1934",
                "bel 06-12345678",
                "mobile 98765 43210",
                "celular (11) 91234-5678",
                "お電話は090-1234-5678まで",
                "Bondi job, Mrs Patel 0412 345 678",
                "tel. 55 1234 5678",
                "(617) 482-9315",
                "303-594-8821",
                "415.867.2230",
                "1-646-555-2199 direct",
                "she's at 867-0147 after six",
                // bare digits next to a phone word
                "phone: 015112345678",
                "My number is 9876543210, WhatsApp only.",
                "M: 0612345678"
            })
    void findsPhoneNumbers(String text) {
        assertThat(detector.detect(text)).contains(PHONE);
    }

    @ParameterizedTest(name = "no phone: {0}")
    @ValueSource(
            strings = {
                "released 2024-01-15 at 10.0.0.1, build 1234567890, v1.2.3-4",
                "ORD-555-010-1234 is an order id",
                // numbers reserved for fiction (NANP 555-01xx, Ofcom drama ranges): no one answers them
                "Call (212)555-0199 today",
                "ring me on 07700 900123",
                "London office 020 7946 0018",
                "she's at 555-0147 after six",
                "order 4829301746 ships Monday",
                "Order #100-4827-3319 was split",
                "Ticket 58213 and 58214",
                "Windows build 10.0.19045.4291",
                "allow 172.16.40.0/24 to port 8443",
                "kafka-1:9092 and 10.2.0.31:9092",
                "epoch 1718006400 and 1718006400123 ms",
                "15.01.2025 code freeze, 22.01.2025 RC1",
                "11. 2024-05-06 Dinner $81.30",
                "02.05.24 18:43 Bon 5521",
                "revenue 12 345 678 EUR",
                "1 250 000 INR",
                "48 213 977 rows",
                "Solve: 3 5 7 9 11 13 15",
                "SSN 123-45-6789",
                "ISBN 978-1-449-37332-0",
                "tracking 00340434161094022115",
                "\"GET /health HTTP/1.1\" 400 35836 \"-\"",
                "abc5551234567 is an id",
                "4111 1111 1111 1111",
                "Meeting ID: 845 2931 0476 (Zoom)",
                "E.164, e.g. +15555550100",
                "coordinates 52.520008, 13.404954",
                "BOT_TOKEN=7528300762:AAPrlG_oPouwiEOrjkd71o0BvVy-3usAX6_",
                "Your order number is 123-456-7890",
                "Example: +1-555-555-5555",
                "born 03-15-1982",
                "Customer ID 48213977",
                "Ticket: 2024-0001234"
            })
    void ignoresLookalikes(String text) {
        assertThat(detector.detect(text)).doesNotContain(PHONE);
    }

    @Test
    void libraryWorkOnPhoneShapedTextIsBounded() {
        // 12,000 candidates that pass every cheap check and reach libphonenumber; at most 200 calls per text
        String text = "call 0612 345 67 ".repeat(12_000);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> detector.detect(text));
    }
}
