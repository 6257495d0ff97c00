package io.tiergate.classifier.sensitive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rules added after evaluation sets G's, H's and I's errors were read (docs/classifier.md, "Sensitive
 * data"): team mailboxes in many languages, numbers reserved for fiction and service lines, login
 * pairs and PINs handed over in prose, URL passwords with raw {@code ?}, more documented token
 * formats, birth dates in more forms, log and cache words that are no credentials. The examples are
 * written here, not taken from the sets.
 */
class SensitiveRolesAndFictionTest {

    private final SensitiveDataDetector detector = new SensitiveDataDetector();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // people, not teams: a name, a first name, initials
                "EMAIL | Bitte an paulina.wozniak@onet.pl weiterleiten",
                "EMAIL | cc li.wei@qq.com on the thread",
                "EMAIL | escribe a mgarcia@telefonica.net",
                "EMAIL | forward it to irit@walla.co.il",
                // numbers next to them in real ranges
                "PHONE | reach Priya on 07911 482 630 before noon",
                "PHONE | Rückruf bitte unter +44 161 832 0734",
                "PHONE | her mobile: (312) 744-0188",
                // login pairs, URL passwords with a raw question mark, tokens of documented formats
                "CREDENTIAL | your sandbox is up. Login ops.lead / Tq7!mRv29xLp, change it after the first sign-in",
                "CREDENTIAL | Zugang: buchhaltung-extern / Wk4#pZ81nQs (bitte nicht weitergeben)",
                "CREDENTIAL | mysql_config: mysql://report:Hq3?tz81Lw@db-eu-1.corp.lan:3306/sales",
                "API_KEY | export VAULT_TOKEN=hvs.Rk29dLqPz81XvNcT4mWbYs0e",
                "API_KEY | LINEAR_API_KEY=lin_api_Zk29dLqPz81XvNcT4mWbYs0eQa7uJh3Gf5Kd2Pw8",
                "API_KEY | DefaultEndpointsProtocol=https;AccountName=logsprod;AccountKey=Zk29dLqPz81XvNcT4mWbYs0eQa7uJh3Gf5Kd2Pw8Zk29dLqPz81XvNcT4mWbYs0eQa7uJh3Gf5Kd2Pw8abcdef==;EndpointSuffix=core.windows.net",
                // birth dates: Turkish possessive, a place between the birth word and the date, honorifics
                "DATE_OF_BIRTH | Merhaba, ben Ayşe Kaya, doğum tarihim 04.11.1988, randevu almak istiyorum",
                "DATE_OF_BIRTH | Le candidat, Julien Marchand, né à Lyon le 12 mars 1991, postule au poste",
                "DATE_OF_BIRTH | Giulia Ferri, nata a Torino il 03/07/1985, residente a Milano",
                "DATE_OF_BIRTH | 新入社員の佐藤 Kentoさん、生年月日：1994年5月21日",
                "DATE_OF_BIRTH | 박서준님 생년월일 1989년 2월 14일 확인 부탁드립니다",
                // after set H: PINs and login pairs in chat, hex-bodied keys, birth fields and forms
                "CREDENTIAL | Tom: what's the alarm PIN again?\\nSara: it is 8305, don't tell the kids",
                "CREDENTIAL | O PIN do cartão novo é 62917",
                "CREDENTIAL | [09:14] ops: the grafana login is admin / Wombat!7731z",
                "API_KEY | twilio = Client(\"SK0f3a9c21b7d84e65a0c1f2e3d4b5a697\", secret)",
                "API_KEY | MAILGUN_KEY=key-3f9a0c21b7d84e65a0c1f2e3d4b5a6c7",
                "DATE_OF_BIRTH | {\"nombre\": \"Lucía Paredes\", \"fecha_nacimiento\": \"03/09/1979\"}",
                "DATE_OF_BIRTH | cliente: meu nome é Renata Prado, nasci em 14/02/1990, quero mudar o plano",
                "DATE_OF_BIRTH | Anagrafica: Paolo Conti, nato il 7 febbraio 1975 a Bari",
                "DATE_OF_BIRTH | 계약자: 윤서연\\n생년월일: 1972년 9월 3일",
                "PHONE | nombre,ciudad,telefono\\nAna Ruiz,Puebla,+52 222 318 4471,2026-01-05",
                // after set I: Indonesian, Chinese and Japanese birth lines, phone words of more languages
                "DATE_OF_BIRTH | Kepada Yth. Dewi Lestari, lahir 02-05-1991, mohon datang pukul 09.00",
                "DATE_OF_BIRTH | 王芳（出生日期1985/11/02），请于周三复诊",
                "DATE_OF_BIRTH | 山口健一、生年月日1966/12/30、住所は大阪府内",
                "DATE_OF_BIRTH | 佐々木ゆい様（生年月日1993/04/18）のご予約",
                "PHONE | Tertanggung: Agus Salim\\nNo. HP: 0813-2764-9051",
            })
    void finds(SensitiveKind kind, String text) {
        assertThat(detector.detect(text.replace("\\n", "\n"))).contains(kind);
    }

    @ParameterizedTest(name = "no {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // team mailboxes in other languages, with region codes, run together
                "EMAIL | Reklamacje proszę kierować na pomoc@sklep-meblowy.pl lub kadry@sklep-meblowy.pl",
                "EMAIL | Dúvidas: apoio@lojaverde.pt, faturacao@lojaverde.pt",
                "EMAIL | for quotes write to dealdesk@brightline.io or sales-ops-emea@brightline.io",
                "EMAIL | お問い合わせ: otoiawase@hanamaru.co.jp / jinji@hanamaru.co.jp",
                "EMAIL | destek@kargo-hizli.com.tr veya ik@kargo-hizli.com.tr",
                "EMAIL | support-de2@cloudnest.eu",
                // numbers reserved for fiction and documentation
                "PHONE | In the training script the customer calls from (415) 555-0134.",
                "PHONE | Use +1 800 555 0111 as the callback number in the screenshot.",
                "PHONE | the drama number 0113 496 0872 and the mobile 07700 900 318 are safe for the ad",
                "PHONE | Pour la maquette, affichez le 01 99 00 27 45 comme numéro du service client.",
                "PHONE | sample contact for the AU site: 0491 570 156",
                "PHONE | fixtures: [\"+442079460511\", \"+15555550123\"]",
                // login words without a secret
                "CREDENTIAL | Login page / SignIn flow: the user / role mapping is broken",
                "CREDENTIAL | user: admin / password: <set in vault>",
                "CREDENTIAL | https://status.example.net:8443?next=team@example.net",
                // Japanese honorifics that name no one
                "DATE_OF_BIRTH | お客様の生年月日：1980年1月1日 の欄は任意です",
                // after set H: service lines, log verbs, cache keys, digests, encoded placeholders, barcodes
                "PHONE | Our hotline 1-800-446-2761 is open Monday to Friday.",
                "PHONE | フリーダイヤル 0120-118-093 までお電話ください",
                "PHONE | Ligue grátis: 0800 771 2390",
                "PHONE | Die Prüfziffer von 48 271 936 502 stimmt nicht",
                "CREDENTIAL | 2026-03-01T10:00:00Z INFO gateway guardrail pass req=9f8e7d6c5b4a dur_ms=12",
                "CREDENTIAL | Cache restored from key: npm-9c8b7a6f5e4d3c2b1a0f",
                "CREDENTIAL | WARN cache eviction key=sha256:5d41402abc4b2a76b9719d911017c592aa5d41402abc4b2a76b9719d911017c5",
                "CREDENTIAL | data:\\n  password: cGFzc3dvcmQ=   # just 'password' in base64",
                "CREDENTIAL | the PIN has 4 digits and the default PIN is 1234",
                "CREDIT_CARD | sku;ean;qty\\nA-1;5012345678908;4",
                "EMAIL | notify: builds@tallyworks.com.br and platform-team@tallyworks.com.br",
                // after set I: claims and complaints mailboxes, free-call words, a form's placeholder person
                "EMAIL | Schäden bitte an schaden@hanse-versicherung.de, Beschwerden an beschwerden@hanse-versicherung.de",
                "EMAIL | keluhan dapat dikirim ke pengaduan@klinikprima.co.id",
                "EMAIL | 投诉请发送至 tousu@huaxin-bao.cn",
                "PHONE | llame a nuestro teléfono gratuito 900 321 654 de 9 a 18",
                "DATE_OF_BIRTH | 【記入例】\\n氏名：山田 太郎\\n生年月日：1980年1月1日",
            })
    void ignores(SensitiveKind kind, String text) {
        assertThat(detector.detect(text.replace("\\n", "\n"))).doesNotContain(kind);
    }
}
