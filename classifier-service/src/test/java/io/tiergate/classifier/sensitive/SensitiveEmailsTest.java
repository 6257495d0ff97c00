package io.tiergate.classifier.sensitive;

import static io.tiergate.classifier.sensitive.SensitiveKind.EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** E-mail: a person's (or a real mailbox's) address counts; documentation placeholders and code do not. */
class SensitiveEmailsTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "email: {0}")
    @ValueSource(
            strings = {
                "From: margaret.okafor@btinternet.com",
                "Contact: o.brennan+alerts@mail.tiergate.io.",
                "lukas.schneider@web.de",
                "<a href=\"mailto:petra.lindner@baeckerei-lindner.de\">",
                "kenji.watanabe@rakuten.co.jp",
                "Nadia Rahman <nadia@rahman.dev>",
                "user=s.yamamoto@nttdata.co.jp ip=203.0.113.7",
                "{\"email\":\"giulia.rossi88@libero.it\"}",
                "maria.gonzalez [at] gmail [dot] com",
                "jana (at) posteo.de",
                "https://shop.example.org/?email=anna.berg@gmx.de",
                "email me at j.smith@acme.com"
            })
    void findsAddresses(String text) {
        assertThat(detector.detect(text)).contains(EMAIL);
    }

    @ParameterizedTest(name = "no email: {0}")
    @ValueSource(
            strings = {
                // documentation placeholders
                "jane.doe@example.com",
                "bob@example.org",
                "alice@mail.example.net",
                "max@example.co.uk",
                "user@example.com",
                "test@test.com",
                "someone@acme.test",
                "noreply@ourapp.io",
                // team mailboxes: role words with a tag, a region or run together
                "Contact: ops+alerts@mail.tiergate.io.",
                "no-reply@github.com",
                "notifications@github.com",
                "foo@bar.com",
                "your.name@company.com",
                "user@corp-mail.de",
                "test123@gmail.com",
                "john.doe@gmail.com",
                "your.name [at] company [dot] com",
                "john.smith@email.com",
                "contact@mycompany.com",
                "name@domain.tld",
                "email@address.com",
                // role mailboxes reach a function, not a person
                "info@baeckerei-lindner.de",
                "billing@acme.io",
                "accounts-payable@nordhaus.io",
                "security@nordhaus.io",
                // code and hosts
                "git clone git@github.com:tiergate/tiergate.git",
                "background: url(logo@2x.png)",
                "val s = this@MainActivity.x",
                "@Override public String toString()",
                "npm install lodash@4.17.21",
                "https://deploy@artifacts.mycorp.net/x",
                "postgres://app:Xk9#mQ2v@db.internal/app"
            })
    void ignoresPlaceholdersAndCode(String text) {
        assertThat(detector.detect(text)).doesNotContain(EMAIL);
    }
}
