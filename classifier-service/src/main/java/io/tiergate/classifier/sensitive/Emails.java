package io.tiergate.classifier.sensitive;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail addresses of people (and of real mailboxes: info@a-real-company.de counts). Not counted:
 * documentation placeholders (the reserved example domains of RFC 2606/6761, user@, test@,
 * noreply@, foo@bar, john.doe@, …), and address-shaped code: scp remotes (git@github.com:org/repo),
 * asset names (icon@2x.png), Kotlin labels (this@Outer), package pins (pkg@1.2.3), URL user info.
 */
final class Emails {

    private Emails() {}

    private static final Pattern EMAIL = Pattern.compile(
            "(?=[A-Za-z0-9._%+-])(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,8}"
                    + "([A-Za-z]{2,24}))(?![A-Za-z0-9-])(:?)");
    /** File extensions that follow '@' in asset names (icon@2x.png), not top-level domains here. */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "tsx", "jsx", "css", "scss", "map",
            "json", "yaml", "yml", "xml", "html", "txt", "lock", "java", "kt", "class", "jar");
    /** Kotlin labels (this@Outer.member) look like local parts. */
    private static final Set<String> CODE_LABELS = Set.of("this", "super", "return", "break", "continue");

    /** Reserved for documentation and testing (RFC 2606, RFC 6761) or obviously so. */
    private static final Set<String> PLACEHOLDER_TLDS = Set.of("example", "test", "invalid", "localhost");

    private static final Set<String> PLACEHOLDER_DOMAINS = Set.of(
            "test.com",
            "domain.com",
            "company.com",
            "mydomain.com",
            "somedomain.com",
            "yourdomain.com",
            "yourcompany.com",
            "email.example",
            "foo.com",
            "bar.com",
            "foobar.com",
            "acme.test",
            "sample.com",
            "email.com",
            "mycompany.com",
            "company.org",
            "company.net",
            "domain.org",
            "domain.net",
            "domain.tld",
            "address.com");
    /** Local parts that stand for "an address goes here" or belong to no person. */
    private static final Set<String> PLACEHOLDER_LOCALS = Set.of(
            "user",
            "username",
            "name",
            "email",
            "mail",
            "you",
            "your.name",
            "yourname",
            "your.email",
            "youremail",
            "your_email",
            "your-email",
            "someone",
            "somebody",
            "anyone",
            "foo",
            "bar",
            "baz",
            "foobar",
            "test",
            "testing",
            "tester",
            "example",
            "sample",
            "demo",
            "noreply",
            "no-reply",
            "no_reply",
            "donotreply",
            "do-not-reply",
            "do_not_reply",
            "mailer-daemon",
            "postmaster",
            "bounce",
            "bounces",
            "notifications",
            "notification",
            "notify",
            "john.doe",
            "jane.doe",
            "johndoe",
            "janedoe",
            "john_doe",
            "jane_doe",
            "max.mustermann",
            "erika.mustermann",
            "first.last",
            "firstname.lastname",
            "firstname",
            "lastname",
            "first_last",
            "me",
            "xxx",
            "abc",
            "xyz",
            "a",
            "x");
    /** Role and team mailboxes: they reach a function, not a person (personal data is a person's address). */
    /** "Example" in the languages of the prompts, as a part of a domain label. */
    private static final Set<String> EXAMPLE_WORDS = Set.of(
            "example",
            "beispiel",
            "esempio",
            "ejemplo",
            "exemple",
            "exemplo",
            "voorbeeld",
            "przyklad",
            "muster",
            "sample");

    private static final Set<String> ROLE_LOCALS = Set.of(
            // the same functions in German, French, Spanish, Italian, Portuguese, Dutch, Polish, Swedish
            "buchhaltung",
            "rechnung",
            "rechnungen",
            "kundenservice",
            "kundendienst",
            "vertrieb",
            "einkauf",
            "personal",
            "bewerbung",
            "bewerbungen",
            "datenschutz",
            "kontakt",
            "verwaltung",
            "empfang",
            "zentrale",
            "comptabilite",
            "compta",
            "facturation",
            "recrutement",
            "rh",
            "commercial",
            "juridique",
            "ventes",
            "achats",
            "accueil",
            "soporte",
            "ayuda",
            "ventas",
            "facturacion",
            "contabilidad",
            "rrhh",
            "compras",
            "administracion",
            "atencionalcliente",
            "contacto",
            "supporto",
            "assistenza",
            "amministrazione",
            "contabilita",
            "fatturazione",
            "vendite",
            "acquisti",
            "contatti",
            "suporte",
            "atendimento",
            "financeiro",
            "comercial",
            "vendas",
            "faturamento",
            "klantenservice",
            "administratie",
            "boekhouding",
            "facturatie",
            "verkoop",
            "inkoop",
            "biuro",
            "faktury",
            "ksiegowosc",
            "sprzedaz",
            "kundtjanst",
            "ekonomi",
            "clientes",
            "cliente",
            "clienti",
            "geral",
            "widerruf",
            "termine",
            "termin",
            "kundservice",
            "kundeservice",
            "kundenbetreuung",
            "cs",
            "reklamacje",
            "reklamacja",
            "destek",
            "bounces",
            "bounce",
            "membership",
            "grievance",
            "complaints",
            "reclamaciones",
            "reclami",
            "contato",
            "reservas",
            "reservations",
            "bookings",
            "lohn",
            "gehalt",
            "personalabteilung",
            "protocollo",
            "segreteria",
            "anagrafe",
            "tributi",
            "suap",
            "pec",
            "billing",
            "accounts",
            "accounts-payable",
            "accountspayable",
            "accounts.payable",
            "payables",
            "ap",
            "ar",
            "invoices",
            "invoice",
            "finance",
            "payouts",
            "payments",
            "payroll",
            "security",
            "hr",
            "people",
            "careers",
            "jobs",
            "recruiting",
            "support",
            "help",
            "helpdesk",
            "servicedesk",
            "service",
            "customerservice",
            "customer.service",
            "care",
            "info",
            "contact",
            "hello",
            "sales",
            "marketing",
            "press",
            "media",
            "pr",
            "legal",
            "privacy",
            "dpo",
            "compliance",
            "admin",
            "administrator",
            "office",
            "team",
            "ops",
            "devops",
            "it",
            "noc",
            "soc",
            "abuse",
            "webmaster",
            "hostmaster",
            "feedback",
            "orders",
            "returns",
            "refunds",
            "shipping",
            "procurement",
            "purchasing",
            "partners",
            "investors",
            "ir",
            "events",
            "newsletter",
            "alerts",
            "reports",
            "reporting");

    /**
     * More words that name a function rather than a person, in the languages of the traffic (written
     * without accents, as mailbox names are): a mailbox made only of these ({@code dealdesk},
     * {@code kundenservice-de}, {@code atencion.cliente}, {@code sales-ops-emea}) reaches a team.
     */
    private static final Set<String> ROLE_WORDS = Set.copyOf(java.util.List.of(
            // English
            "accounting",
            "payable",
            "receivable",
            "hiring",
            "talent",
            "recruitment",
            "apply",
            "applications",
            "enquiries",
            "enquiry",
            "inquiries",
            "inquiry",
            "questions",
            "general",
            "reception",
            "frontdesk",
            "desk",
            "tech",
            "techsupport",
            "technical",
            "engineering",
            "developers",
            "developer",
            "platform",
            "sre",
            "oncall",
            "incident",
            "incidents",
            "status",
            "infosec",
            "vuln",
            "disclosure",
            "bugbounty",
            "trust",
            "gdpr",
            "dataprotection",
            "data",
            "protection",
            "dsr",
            "dsar",
            "deal",
            "deals",
            "quotes",
            "quote",
            "renewals",
            "partnerships",
            "alliances",
            "channel",
            "resellers",
            "affiliates",
            "success",
            "csm",
            "onboarding",
            "training",
            "academy",
            "education",
            "community",
            "social",
            "webinar",
            "webinars",
            "benefits",
            "expenses",
            "travel",
            "facilities",
            "vendor",
            "vendors",
            "suppliers",
            "supplier",
            "treasury",
            "tax",
            "audit",
            "controlling",
            "board",
            "exec",
            "executive",
            "management",
            "operations",
            "logistics",
            "warehouse",
            "dispatch",
            "delivery",
            "fulfilment",
            "fulfillment",
            "underwriting",
            "services",
            "store",
            "shop",
            "webshop",
            "eshop",
            "ecommerce",
            "order",
            "mailer",
            "updates",
            "news",
            "digest",
            "growth",
            "brand",
            "design",
            "content",
            "editorial",
            "comms",
            "communications",
            "customer",
            "customers",
            "customercare",
            "client",
            "clients",
            "members",
            "patients",
            "students",
            "admissions",
            "registrar",
            "enrolment",
            "enrollment",
            "claim",
            "claims",
            "booking",
            "reservation",
            "enquire",
            "intake",
            "queue",
            "tickets",
            "ticket",
            "escalations",
            "escalation",
            "hotline",
            "helpline",
            "line",
            "team",
            "teams",
            "dept",
            "department",
            "group",
            "hub",
            "center",
            "centre",
            "staff",
            "all",
            "everyone",
            "crew",
            "squad",
            "room",
            "general",
            "main",
            "central",
            "hq",
            "head",
            "desk",
            "ops",
            "dev",
            "qa",
            "bot",
            "robot",
            "system",
            "sys",
            "daemon",
            "jenkins",
            "ci",
            "build",
            "deploy",
            "release",
            "releases",
            "git",
            "gitlab",
            "github",
            "sentry",
            "alert",
            "monitoring",
            "pager",
            "pagerduty",
            "cron",
            "backup",
            "backups",
            // German
            "personalwesen",
            "karriere",
            "ausbildung",
            "finanzen",
            "lohnbuchhaltung",
            "abrechnung",
            "mahnwesen",
            "beschaffung",
            "verkauf",
            "auftrag",
            "auftraege",
            "bestellung",
            "bestellungen",
            "hilfe",
            "technik",
            "edv",
            "sekretariat",
            "geschaeftsfuehrung",
            "gf",
            "vorstand",
            "recht",
            "rechtsabteilung",
            "presse",
            "poststelle",
            "anfrage",
            "anfragen",
            "reklamation",
            "retoure",
            "retouren",
            "versand",
            "lager",
            "logistik",
            "disposition",
            "service",
            "kunden",
            "kundenbetreuung",
            "personalabteilung",
            // French
            "serviceclient",
            "sav",
            "aide",
            "assistance",
            "factures",
            "paie",
            "emploi",
            "carrieres",
            "rgpd",
            "direction",
            "secretariat",
            "standard",
            "communication",
            "logistique",
            "expedition",
            "commandes",
            "reclamation",
            "reclamations",
            "adv",
            "relation",
            "relations",
            // Spanish
            "atencion",
            "soporte",
            "cobros",
            "pagos",
            "recursos",
            "humanos",
            "trabajo",
            "seleccion",
            "juridico",
            "prensa",
            "comunicacion",
            "logistica",
            "envios",
            "pedidos",
            "recepcion",
            "gerencia",
            "secretaria",
            "informacion",
            "consultas",
            "tramites",
            "ventas",
            // Portuguese
            "apoio",
            "ajuda",
            "faturacao",
            "cobranca",
            "pagamentos",
            "contabilidade",
            "recrutamento",
            "vagas",
            "imprensa",
            "comunicacao",
            "encomendas",
            "reclamacoes",
            "recepcao",
            "diretoria",
            "ouvidoria",
            "sac",
            "atendimento",
            "financas",
            "tesouraria",
            // Italian
            "informazioni",
            "supporto",
            "aiuto",
            "commerciale",
            "fatture",
            "pagamenti",
            "risorse",
            "umane",
            "personale",
            "lavoraconnoi",
            "selezione",
            "legale",
            "ufficio",
            "stampa",
            "ufficiostampa",
            "spedizioni",
            "ordini",
            "prenotazioni",
            "reception",
            "direzione",
            // Dutch
            "financien",
            "crediteuren",
            "debiteuren",
            "personeelszaken",
            "vacatures",
            "werken",
            "juridisch",
            "pers",
            "logistiek",
            "bestellingen",
            "klachten",
            "reserveringen",
            "receptie",
            "directie",
            "secretariaat",
            "klantcontact",
            // Polish
            "pomoc",
            "obsluga",
            "bok",
            "wsparcie",
            "handlowy",
            "faktura",
            "finanse",
            "kadry",
            "rekrutacja",
            "praca",
            "prawny",
            "prasa",
            "zakupy",
            "logistyka",
            "zamowienia",
            "rezerwacje",
            "recepcja",
            "zarzad",
            // Scandinavian
            "hjalp",
            "forsaljning",
            "salg",
            "fakturor",
            "okonomi",
            "lon",
            "jobb",
            "rekrytering",
            "juridik",
            "inkop",
            "innkjop",
            "bestilling",
            "bokning",
            "ledning",
            "kansli",
            "kundesenter",
            "kundcenter",
            // Turkish
            "bilgi",
            "iletisim",
            "yardim",
            "musteri",
            "musterihizmetleri",
            "hizmetleri",
            "satis",
            "fatura",
            "muhasebe",
            "finans",
            "ik",
            "insankaynaklari",
            "kariyer",
            "hukuk",
            "basin",
            "satinalma",
            "lojistik",
            "siparis",
            "sikayet",
            "rezervasyon",
            "resepsiyon",
            "yonetim",
            // Japanese and Korean mailbox names in romaji
            "otoiawase",
            "toiawase",
            "soumu",
            "somu",
            "jinji",
            "saiyo",
            "saiyou",
            "recruit",
            "keiri",
            "eigyo",
            "eigyou",
            "kanri",
            "kouhou",
            "koho",
            "houmu",
            "homu",
            "seikyu",
            "seikyuu",
            "kobai",
            "uketsuke",
            "madoguchi",
            "gogaek",
            "insa",
            "chaeyong",
            "hoegye",
            "yeongeop",
            "munui",
            // India
            "nodal",
            "nodalofficer",
            "customercare",
            "escalation",
            "appellate",
            // claims, complaints and appointments in the languages of insurers and clinics
            "schaden",
            "schadenmeldung",
            "schadensmeldung",
            "sinistres",
            "sinistre",
            "siniestros",
            "sinistri",
            "sinistros",
            "schade",
            "schades",
            "skador",
            "skade",
            "skader",
            "szkody",
            "hasar",
            "klaim",
            "klachten",
            "beschwerde",
            "beschwerden",
            "quejas",
            "reclamos",
            "reclamacoes",
            "klagomal",
            "klage",
            "skargi",
            "pengaduan",
            "keluhan",
            "afspraken",
            "afspraak",
            "rendezvous",
            "rdv",
            "citas",
            "cita",
            "appuntamenti",
            "agendamento",
            "agendamentos",
            "bokningar",
            "wizyty",
            "randevu",
            "janji",
            "aanvragen",
            "declaraties",
            "declaratie",
            "polissen",
            "polizze",
            "polizas",
            "apolices",
            "vertraege",
            "contratos",
            "leistung",
            "leistungen",
            "erstattung",
            "remboursement",
            "reembolsos",
            "rimborsi",
            "patienten",
            "pacientes",
            "pazienti",
            "patienter",
            "pasien",
            "layanan",
            "bantuan",
            "humas",
            "keuangan",
            "penjualan",
            "kepegawaian",
            // Chinese pinyin mailbox names
            "kefu",
            "fuwu",
            "tousu",
            "zhaopin",
            "caiwu",
            "xiaoshou",
            "renshi",
            "hezuo",
            "shichang",
            "jishu",
            "lianxi",
            "zixun",
            "bangong",
            "xingzheng"));

    /** Region and language codes that qualify a team mailbox ({@code support-de}, {@code sales.emea}). */
    private static final Set<String> REGION_WORDS = Set.of(
            "emea",
            "apac",
            "latam",
            "amer",
            "americas",
            "dach",
            "nordics",
            "benelux",
            "iberia",
            "anz",
            "global",
            "intl",
            "international",
            "europe",
            "asia",
            "na",
            "eu",
            "uk",
            "us",
            "int");

    /** A UUID or a long hex run as the local part: generated by software (Message-ID, VERP bounces). */
    private static final Pattern GENERATED_LOCAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{20,}");

    private static final Pattern NUMBERED_PLACEHOLDER =
            Pattern.compile("(?:user|test|demo|sample|example|foo)[._-]?\\d{0,3}");

    /** jane.doe [at] gmail [dot] com, jane (at) gmail.com: written so that harvesters miss it, still an address. */
    private static final Pattern OBFUSCATED = Pattern.compile(
            "(?i)(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})\\s?[\\[({]\\s?at\\s?[\\])}]\\s?([A-Za-z0-9-]{1,63}(?:(?:\\s?[\\[({]\\s?dot\\s?[\\])}]\\s?|\\.)[A-Za-z0-9-]{1,63}){1,4})");

    private static final Pattern OBFUSCATED_AT = Pattern.compile("(?i)[\\[({]\\s?at\\s?[\\])}]");

    static boolean find(String text, String lower) {
        if (text.indexOf('@') >= 0 && plain(text)) {
            return true;
        }
        if (!Words.containsAny(lower, "[at", "(at", "{at", "[ at", "( at")
                || !OBFUSCATED_AT.matcher(text).find()) {
            return false;
        }
        Matcher o = OBFUSCATED.matcher(text);
        while (o.find()) {
            String domain = o.group(2).toLowerCase(Locale.ROOT).replaceAll("\\s?[\\[({]\\s?dot\\s?[\\])}]\\s?", ".");
            String tld = domain.substring(domain.lastIndexOf('.') + 1);
            if (tld.matches("[a-z]{2,24}") && !placeholder(o.group(1).toLowerCase(Locale.ROOT), domain, tld)) {
                return true;
            }
        }
        return false;
    }

    /** The address pattern, tried only around each '@' (64 characters before it, 260 after). */
    private static boolean plain(String text) {
        Matcher m = EMAIL.matcher(text);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        int searched = 0;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', Math.max(at + 1, searched))) {
            int from = Math.max(searched, at - 64);
            int to = Math.min(text.length(), at + 260);
            searched = to;
            m.region(from, to);
            if (plainIn(text, m)) {
                return true;
            }
        }
        return false;
    }

    private static boolean plainIn(String text, Matcher m) {
        while (m.find()) {
            String local = m.group(1);
            String domain = m.group(2).toLowerCase(Locale.ROOT);
            String tld = m.group(3).toLowerCase(Locale.ROOT);
            boolean scpRemote = !m.group(4).isEmpty(); // git@github.com:org/repo.git is a host login, not an address
            if (scpRemote || FILE_EXTENSIONS.contains(tld) || CODE_LABELS.contains(local)) {
                continue;
            }
            if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
                continue;
            }
            if (urlUserInfo(text, m.start())) {
                continue; // https://user@host, postgres://app:pw@db: credentials, judged as such
            }
            if (placeholder(local.toLowerCase(Locale.ROOT), domain, tld)) {
                continue;
            }
            return true;
        }
        return false;
    }

    private static boolean placeholder(String local, String domain, String tld) {
        if (PLACEHOLDER_TLDS.contains(tld) || PLACEHOLDER_DOMAINS.contains(domain)) {
            return true;
        }
        // example.com, example.org, example.net, mail.example.com, example.co.uk, example.de
        String[] labels = domain.split("\\.");
        for (int i = 0; i < labels.length - 1; i++) {
            if (labels[i].equals("example") || labels[i].startsWith("your")) {
                return true;
            }
            for (String part : labels[i].split("-")) {
                if (EXAMPLE_WORDS.contains(part)) {
                    return true; // comune-esempio.it, firma-beispiel.de
                }
            }
        }
        return PLACEHOLDER_LOCALS.contains(local)
                || roleMailbox(local)
                || GENERATED_LOCAL.matcher(local).matches() // a message id or bounce address, not a person
                || NUMBERED_PLACEHOLDER.matcher(local).matches();
    }

    /**
     * A mailbox of a function, not a person: a known role name, or a name made only of role words
     * (separated by {@code . _ - +} or run together, as in {@code dealdesk}), digits and region or
     * two-letter country codes, with at least one role word ({@code support-de}, {@code sales.emea2}).
     * Two-letter codes alone ({@code li.wei}) and two-letter role words run together are not enough.
     */
    static boolean roleMailbox(String local) {
        if (ROLE_LOCALS.contains(local) || ROLE_WORDS.contains(local) || roleWord(local)) {
            return true;
        }
        boolean role = false;
        for (String segment : local.split("[._+-]+")) {
            String word = segment.replaceAll("\\d+$", "");
            if (word.isEmpty()) {
                continue; // support2, billing-01
            }
            if (roleWord(word) || ROLE_LOCALS.contains(word) || compound(word)) {
                role = true;
            } else if (!REGION_WORDS.contains(word) && word.length() != 2) {
                return false;
            }
        }
        return role;
    }

    /** {@code dealdesk}, {@code salesops}, {@code itsupport}: two or three role words of 3+ letters run together. */
    private static boolean compound(String word) {
        if (word.length() < 6 || word.length() > 30) {
            return false;
        }
        for (int i = 3; i <= word.length() - 3; i++) {
            String head = word.substring(0, i);
            if (!roleWord(head) && !head.equals("it") && !head.equals("hr")) {
                continue;
            }
            String tail = word.substring(i);
            if (roleWord(tail)) {
                return true;
            }
            for (int j = 3; j <= tail.length() - 3; j++) {
                if (roleWord(tail.substring(0, j)) && roleWord(tail.substring(j))) {
                    return true;
                }
            }
        }
        return word.startsWith("it") && roleWord(word.substring(2))
                || word.startsWith("hr") && roleWord(word.substring(2));
    }

    private static boolean roleWord(String w) {
        return w.length() >= 3
                && (ROLE_LOCALS.contains(w)
                        || ROLE_WORDS.contains(w)
                        || (w.endsWith("s") && ROLE_WORDS.contains(w.substring(0, w.length() - 1)))); // builds@
    }

    /** The match starts inside the user info of a URL: scheme://[user[:password]]@. */
    private static boolean urlUserInfo(String text, int start) {
        int from = Math.max(0, start - 200);
        int i = start - 1;
        while (i >= from && userInfoChar(text.charAt(i))) {
            i--;
        }
        return i >= 1 && text.charAt(i) == '/' && text.charAt(i - 1) == '/';
    }

    private static boolean userInfoChar(char c) {
        return Character.isLetterOrDigit(c)
                || "._%+-:~!$&'()*,;=#".indexOf(c) >= 0; // # too: raw passwords are pasted unencoded
    }
}
