package io.tiergate.classifier.sensitive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date of birth of a named person: a birth word ("DOB", "date of birth", "born on", "geb.",
 * "né le", "fecha de nacimiento", …), a full date (day, month, year 1900-2099) right after it, and
 * a person's name nearby (after a label such as "Name:"/"Patient:", after a title such as "Mr"/"Frau",
 * or two or three capitalised words that are not common words). A birth date without a name, a
 * field description ("DOB: YYYY-MM-DD") or a year alone ("born in 1985") does not count.
 */
final class BirthDates {

    private BirthDates() {}

    private static final Pattern KEYWORD = Pattern.compile(
            "(?i)(?<!\\p{L})(?:d\\.?o\\.?b\\.?|date[\\s_-]*of[\\s_-]*birth|birth[\\s_-]?date|birthday|born(?:\\s+on)?|"
                    + "fecha[_-]?(?:de[_-]?)?nac(?:imiento)?|data[_-]?(?:de[_-]?|di[_-]?)?nasc(?:imento|ita)?|date[_-]?(?:de[_-]?)?naissance|"
                    + "geburts[_-]?datum|nasci(?:do|da)?\\s+(?:em|a|no|na)|nac[ií]\\s+el|suis\\s+née?\\s+le|"
                    + "geb\\.|geboren(?:\\s+in\\s+\\p{Lu}[\\p{L}-]+)?(?:\\s+am)?|geburts\\s?datum|geburtstag|date\\s+de\\s+naissance|née?\\s+(?:à\\s+\\p{Lu}[\\p{L}-]+\\s+)?le|né\\(e\\)\\s+le|"
                    + "fecha\\s+de\\s+nacimiento|f\\.\\s?nac\\.?|nacid[oa]\\s+(?:en\\s+\\p{Lu}[\\p{L}-]+\\s+)?el|data\\s+di\\s+nascita|nat[oa]\\s+(?:a\\s+\\p{Lu}[\\p{L}-]+\\s+)?il|"
                    + "geboortedatum|geboren\\s+op|data\\s+de\\s+nascimento|nascid[oa]\\s+em|生年月日|जन्म\\s+तिथि|"
                    + "ur\\.|urodzon[ya]|data\\s+urodzenia|doğum\\s+tarih(?:i|im|in|iniz|imiz)|doğum\\s+günü|doğdu|d\\.\\s?tarihi|"
                    + "födelsedatum|född|fødselsdato|født|syntymäaika|datum\\s+narození|nar\\.|narozen[aá]?|"
                    + "дата\\s+рождения|родил(?:ся|ась)|出生日期|생년월일|誕生日|जन्म\\s?दिनांक|जन्मतिथि|"
                    + "born\\s+in\\s+\\p{Lu}[\\p{L}-]+\\s+on|fecha\\s+nac\\.?|data\\s+nasc\\.?|date\\s+de\\s+naiss\\.?|"
                    // Indonesian and Malay, Vietnamese, Greek, Romanian, Danish, Finnish, Thai, Arabic, Hebrew
                    + "(?:tanggal|tgl\\.?|tarikh)\\s+lahir|lahir(?:\\s+pada)?|ngày\\s+sinh|sinh\\s+ngày|"
                    + "ημερομηνία\\s+γέννησης|ημ\\.?\\s?γέννησης|γεννήθηκε|data\\s+(?:nașterii|nasterii)|născut[ăa]?|nascut[ăa]?|"
                    + "fødselsdag|syntynyt|วันเกิด|เกิดวันที่|تاريخ\\s+الميلاد|تاريخ\\s+الولادة|مواليد|תאריך\\s+לידה|נולד(?:ה)?)(?!\\p{L})");

    private static final String MONTHS =
            "jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar|braio|rero)?|maj|augusti|févr(?:ier)?|fevr(?:ier)?|fev(?:ereiro)?|mar(?:ch|s|zo|ço)?|"
                    + "märz|maart|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|maio|mei|jun(?:e|i|io|ho)?|juin|"
                    + "giu(?:gno)?|jul(?:y|i|io|ho)?|juil(?:let)?|lug(?:lio)?|aug(?:ust|ustus)?|août|aout|ago(?:sto)?|"
                    + "sep(?:t|tember|tembre|tiembre|tembro)?|set(?:tembre|embro)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|"
                    + "ott(?:obre)?|out(?:ubro)?|nov(?:ember|embre|iembre|embro)?|dec(?:ember)?|dez(?:ember|embro)?|"
                    + "déc(?:embre)?|dic(?:iembre|embre)?|enero|ene|gennaio|gen|januari|februari|juni|juli|augustus|oktober|"
                    // Turkish, Polish (genitive, as dates are written)
                    + "ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|"
                    + "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia";

    private static final Pattern DATE =
            Pattern.compile("(?iu)(?<!\\d)(?:0?[1-9]|[12]\\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:19|20)?\\d{2}(?!\\d)"
                    + "|(?<!\\d)(?:0?[1-9]|1[0-2])([/-])(?:0?[1-9]|[12]\\d|3[01])\\1(?:19|20)?\\d{2}(?!\\d)"
                    + "|(?<!\\d)(?:19|20)\\d{2}[./-](?:0?[1-9]|1[0-2])[./-](?:0?[1-9]|[12]\\d|3[01])(?!\\d)"
                    + "|(?<!\\d)(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th|er|º|\\.)?(?:\\s{0,2}|-)(?:de\\s+|of\\s+)?(?:"
                    + MONTHS + ")\\.?,?(?:\\s{0,2}|-)(?:de\\s+)?(?:19|20)?\\d{2}(?!\\d)"
                    + "|(?<!\\p{L})(?:" + MONTHS
                    + ")\\.?\\s{1,2}(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?,?\\s{1,2}(?:19|20)\\d{2}(?!\\d)"
                    + "|(?:19|20)\\d{2}年\\d{1,2}月\\d{1,2}日"
                    + "|(?:明治|大正|昭和|平成|令和)(?:\\d{1,2}|元)年\\d{1,2}月\\d{1,2}日"
                    + "|(?:19|20)\\d{2}년\\s?\\d{1,2}월\\s?\\d{1,2}일");

    /** "Name: Maria", "Patient: Okafor", "Mitarbeiterin: Schulz": a label, then a capitalised word. */
    private static final Pattern LABELLED_NAME = Pattern.compile(
            "(?i)(?<!\\p{L})(?:name|full\\s?name|first\\s?name|last\\s?name|surname|given\\s?name|patient|patientin|employee|"
                    + "customer|client|applicant|member|student|pupil|candidate|claimant|insured|policy\\s?holder|passenger|"
                    + "guest|tenant|resident|beneficiary|account\\s?holder|cardholder|mitarbeiter(?:in)?|kunde|kundin|"
                    + "versicherte[rn]?|vorname|nachname|nom|prénom|nombre|apellidos?|nome|cognome|naam|voornaam|achternaam|"
                    + "paciente|empleado|dipendente|salarié|salariée|employé|employée|bénéficiaire|titulaire|assurée?|"
                    + "titular|beneficiario|beneficiaria|begünstigte[rn]?)(?-i)[\"']?(?:\\s{0,2}[:=\\-–]\\s{0,2}|\\s{1,3})[\"']?\\p{Lu}[\\p{L}'’-]+"
                    // kinship and self-introduction: "my son Liam", "I'm Tomasz", "je m'appelle Léa"
                    + "|(?i)(?<!\\p{L})(?:son|daughter|wife|husband|partner|mother|father|mum|mom|dad|brother|sister|child|baby|"
                    + "grandson|granddaughter|grandmother|grandfather|nephew|niece|sohn|tochter|frau|mann|mutter|vater|fils|fille|"
                    + "hijo|hija|figlio|figlia|i'm|i am|my name is|je m'appelle|ich heiße|ich bin|me llamo|mi chiamo|meu nome é|"
                    + "mi nombre es|mon nom est|il mio nome è|mein name ist|mijn naam is|mam na imię|adım|benim adım)(?-i)\\s\\p{Lu}\\p{Ll}+");

    /** A Korean, Chinese or Japanese name after a name label or a kinship word: "우리 아이 조예린", "氏名：山田花子". */
    private static final Pattern CJK_NAME = Pattern.compile("(?:이름|성명|성함|아이|아들|딸|피보험자|계약자|신청인|신청자|환자|고객명|직원명|수령인|"
            + "氏名|名前|姓名|息子|娘|子供|儿子|女儿|被保険者|契約者|申請者|患者|顧客名|社員名|被保险人|投保人|申请人|客户姓名|员工姓名)"
            + "[\\s:：]{0,3}[\\p{IsHangul}\\p{IsHan}]{2,4}");

    /**
     * A name with an honorific after it: "加藤 Daikiさん", "田中様", "김민수 씨", "지은님". Words that
     * take the same honorific but name no one (お客様, 皆様, 担当者様, 고객님) do not count.
     */
    private static final Pattern HONORIFIC_NAME =
            Pattern.compile("(?<![\\p{IsHan}\\p{IsHangul}\\p{IsKatakana}\\p{IsHiragana}])"
                    + "(?!客|皆|各|担当|患者|社員|会員|利用者|고객|회원|여러분|담당자|선생)"
                    + "(?:[\\p{IsHan}\\p{IsHangul}\\p{IsKatakana}]{1,5}|\\p{Lu}\\p{Ll}+)"
                    + "(?:[ \\u3000]?(?:[\\p{IsHan}\\p{IsHangul}\\p{IsKatakana}\\p{IsHiragana}]{1,5}|\\p{Lu}\\p{Ll}+))?"
                    + "[ \\u3000]?(?:さん|様|さま|氏|くん|ちゃん|님|씨)");

    /** A Chinese, Japanese or Korean name written right before the birth word: "赵磊（出生日期…", "伊藤大輔、生年月日…". */
    private static final Pattern CJK_NAME_BEFORE_BIRTH = Pattern.compile(
            "(?<![\\p{IsHan}\\p{IsHangul}])[\\p{IsHan}\\p{IsHangul}]{2,4}[（(、，,：: \\u3000]{0,2}(?:出生日期|出生年月日|生年月日|생년월일)");

    /** A name after a label in a script without capitals, or in Greek: "Nama: …", "שם: …", "ชื่อ: …", "Όνομα: …". */
    private static final Pattern NATIVE_LABEL_NAME = Pattern.compile(
            "(?iu)(?<!\\p{L})(?:nama(?:\\s+lengkap)?|tertanggung|pasien|họ\\s+tên|họ\\s+và\\s+tên|tên|ονοματεπώνυμο|όνομα|"
                    + "nume(?:le)?|jméno|nimi|navn|ชื่อ(?:-นามสกุล)?|الاسم|اسم|שם(?:\\s+מלא)?)\\s{0,2}[:：]\\s{0,2}\\p{L}{2,}");

    /** श्री / श्रीमती / सुश्री / कुमारी and a Devanagari name. */
    private static final Pattern DEVANAGARI_TITLED =
            Pattern.compile("(?:श्रीमती|श्री|सुश्री|कुमारी|डॉ\\.?)\\s?\\p{IsDevanagari}{2,}");

    private static final Pattern TITLED_NAME = Pattern.compile(
            "(?<!\\p{L})(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Hr|Fr|M|Mme|Mlle|Sr|Sra|Srta|Sig|Sig\\.ra|Dhr|Mevr|Shri|Smt)\\.?\\s{1,2}\\p{Lu}[\\p{L}'’-]+");

    /** Two or three capitalised words on one line (a city above a label is not a name), or "SURNAME, Given". */
    private static final Pattern CAPITALISED = Pattern.compile(
            "(?<!\\p{L})(\\p{Lu}[\\p{Ll}'’]+(?:-\\p{Lu}\\p{Ll}+)?)(?:[ \\u00A0](?:(?:van|von|de|da|del|der|di|le|la|du|dos|bin|al)[ \\u00A0])?(\\p{Lu}[\\p{Ll}'’]+(?:-\\p{Lu}\\p{Ll}+)?)){1,2}(?!\\p{L})"
                    + "|(?<!\\p{L})\\p{Lu}{2,}(?:-\\p{Lu}{2,})?,\\s?\\p{Lu}\\p{Ll}+");

    private static final Set<String> PARTICLES =
            Set.of("van", "von", "de", "da", "del", "der", "di", "le", "la", "du", "dos", "bin", "al");

    /** Placeholder names: not a person. */
    private static final Pattern PLACEHOLDER_NAME = Pattern.compile(
            "(?iu)(?<!\\p{L})(?:doe|mustermann|musterfrau|dupont-exemple|nachname|lastname|surname|juan\\s+p[ée]rez|"
                    + "mario\\s+rossi|jan\\s+kowalski|jean\\s+dupont|fulano|beltrano|erika|jan\\s+jansen|山田\\s?太郎)(?!\\p{L})");

    /** Capitalised words that are not names (sentence starts, form labels, places, organisations, months). */
    private static final Set<String> NOT_NAMES = Set.copyOf(java.util.List.of(
            "the",
            "this",
            "that",
            "these",
            "those",
            "a",
            "an",
            "and",
            "or",
            "of",
            "for",
            "to",
            "in",
            "on",
            "at",
            "by",
            "with",
            "from",
            "as",
            "is",
            "was",
            "are",
            "be",
            "it",
            "its",
            "if",
            "then",
            "when",
            "please",
            "dear",
            "hi",
            "hello",
            "hey",
            "thanks",
            "thank",
            "best",
            "regards",
            "kind",
            "sincerely",
            "cheers",
            "date",
            "birth",
            "born",
            "dob",
            "name",
            "full",
            "first",
            "last",
            "patient",
            "employee",
            "customer",
            "client",
            "member",
            "user",
            "account",
            "record",
            "records",
            "form",
            "field",
            "fields",
            "report",
            "summary",
            "note",
            "notes",
            "ticket",
            "request",
            "order",
            "invoice",
            "email",
            "phone",
            "address",
            "mobile",
            "insurance",
            "number",
            "age",
            "sex",
            "gender",
            "male",
            "female",
            "status",
            "type",
            "id",
            "new",
            "york",
            "san",
            "los",
            "las",
            "united",
            "states",
            "kingdom",
            "street",
            "road",
            "avenue",
            "city",
            "county",
            "hospital",
            "clinic",
            "department",
            "team",
            "inc",
            "ltd",
            "gmbh",
            "llc",
            "company",
            "corp",
            "group",
            "bank",
            "university",
            "school",
            "policy",
            "data",
            "table",
            "column",
            "database",
            "schema",
            "api",
            "json",
            "sql",
            "python",
            "java",
            "javascript",
            "typescript",
            "excel",
            "csv",
            "pdf",
            "html",
            "test",
            "tests",
            "example",
            "sample",
            "validation",
            "rule",
            "rules",
            "error",
            "value",
            "format",
            "string",
            "input",
            "output",
            "required",
            "optional",
            "use",
            "using",
            "add",
            "write",
            "create",
            "update",
            "delete",
            "check",
            "make",
            "get",
            "set",
            "show",
            "list",
            "find",
            "convert",
            "parse",
            "store",
            "save",
            "extract",
            "classify",
            "summarize",
            "translate",
            "draft",
            "review",
            "fix",
            "explain",
            "help",
            "human",
            "resources",
            "hr",
            "personnel",
            "staff",
            "onboarding",
            "payroll",
            "contract",
            "employment",
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "geburtsdatum",
            "geboren",
            "geb",
            "herr",
            "frau",
            "mr",
            "mrs",
            "ms",
            "dr",
            "der",
            "die",
            "das",
            "und",
            "le",
            "la",
            "les",
            "et",
            "de",
            "du",
            "el",
            "los",
            "y",
            "il",
            "lo",
            "e",
            "het",
            "een",
            "en",
            "o",
            "os",
            "as",
            "north",
            "south",
            "east",
            "west",
            "central",
            "general",
            "medical",
            "health",
            "care",
            "service",
            "services",
            "support",
            "sales",
            "marketing",
            "engineering",
            "finance",
            "legal",
            "office",
            "manager",
            "director",
            "lead",
            "senior",
            "junior",
            "intern",
            "project",
            "product",
            "customer",
            "success",
            "unit",
            "ward",
            "room",
            "floor",
            "building",
            "campus",
            "site",
            "europe",
            "america",
            "asia",
            "africa",
            "australia",
            "germany",
            "france",
            "spain",
            "italy",
            "india",
            "brazil",
            "japan",
            "mexico",
            "netherlands",
            "england",
            "london",
            "paris",
            "berlin",
            "madrid",
            "rome",
            "mumbai",
            "delhi",
            "tokyo",
            "sydney",
            "toronto",
            "chicago",
            "boston",
            "nationality",
            "citizenship",
            "place",
            "country",
            "marital",
            "single",
            "married",
            "blood",
            "allergies",
            "diagnosis",
            "medication",
            "visit",
            "admission",
            "discharge",
            "emergency",
            "contact",
            "relationship",
            "next",
            "kin",
            "start",
            "end",
            "employee's",
            "applicant",
            "passport",
            "license",
            "driver",
            "identity",
            "card",
            "social",
            "security",
            "tax",
            "file",
            "upload",
            "document",
            "documents",
            "attached",
            "attachment",
            "re",
            "fw",
            "fwd",
            "subject",
            "cc",
            "bcc",
            "sent",
            "received",
            // function words that start sentences in German, French, Spanish, Italian, Portuguese, Dutch
            "im",
            "am",
            "auf",
            "bei",
            "mit",
            "für",
            "vom",
            "zum",
            "zur",
            "ich",
            "wir",
            "sie",
            "er",
            "es",
            "den",
            "dem",
            "ein",
            "eine",
            "une",
            "gli",
            "una",
            "para",
            "por",
            "con",
            "su",
            "mi",
            "nel",
            "nella",
            "per",
            "dans",
            "pour",
            "avec",
            "sur",
            "op",
            "voor",
            "met",
            "muster",
            "beispiel",
            "vorlage",
            "formular"));

    /** Substrings (lower case) without which no {@link #KEYWORD} can match: a cheap gate. */
    private static final String[] HINTS = {
        "dob",
        "d.o.b",
        "birth",
        "born",
        "geb",
        "naissance",
        "né",
        "née",
        "nacimiento",
        "nac.",
        "nacid",
        "nascita",
        "nato il",
        "nata il",
        "nato a ",
        "nata a ",
        "geboorte",
        "geboren",
        "nascimento",
        "nascid",
        "生年月日",
        "जन्म",
        "ur.",
        "urodz",
        "doğ",
        "tarihi",
        "född",
        "födelse",
        "født",
        "fødsel",
        "syntymä",
        "naroz",
        "nar.",
        "рожд",
        "родил",
        "出生",
        "생년월일",
        "誕生日",
        "fecha nac",
        "data nasc",
        "naiss",
        "nasci",
        "nací",
        "naci el",
        "fecha_nac",
        "fecha-nac",
        "data_nasc",
        "dateofbirth",
        "date_of_birth",
        "birth_date",
        "birthdate",
        "lahir",
        "sinh",
        "γέννησ",
        "γεννήθ",
        "naște",
        "naste",
        "născut",
        "nascut",
        "fødsel",
        "syntyn",
        "วันเกิด",
        "เกิดวันที่",
        "الميلاد",
        "الولادة",
        "مواليد",
        "לידה",
        "נולד"
    };

    /** Years that stand for "unknown" in records, not a birth: 1900 and before, 9999. */
    private static final Pattern SENTINEL_YEAR = Pattern.compile("(?<!\\d)(?:1[0-8]\\d{2}|1900|9999)(?!\\d)");

    /** Birth words followed by a date looked at per text; a text of nothing but "DOB 01.01.1990" stays bounded. */
    private static final int MAX_BIRTH_DATES = 4096;

    static boolean find(String text, String lower) {
        if (!Words.containsAny(lower, HINTS)) {
            return false;
        }
        // windows around each birth word that has a date after it, merged; names are looked for in these only
        List<int[]> windows = new ArrayList<>();
        Matcher k = KEYWORD.matcher(text);
        int seen = 0;
        while (k.find() && seen++ < MAX_BIRTH_DATES) {
            Matcher date = DATE.matcher(text).region(k.end(), Math.min(text.length(), k.end() + 40));
            date.useTransparentBounds(true);
            if (!date.find()
                    || Phones.near(SENTINEL_YEAR, text, k.end(), k.end() + 40)
                    || Words.documentation(text, date.start())) {
                continue; // no date, a "birthday unknown" sentinel such as 1900-01-01, or "exempel: 2014-01-01"
            }
            int from = Math.max(0, k.start() - 160);
            int to = Math.min(text.length(), k.end() + 140);
            int[] last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
            if (last != null && from <= last[1]) {
                last[1] = Math.max(last[1], to);
            } else {
                windows.add(new int[] {from, to});
            }
        }
        for (int[] w : windows) {
            if (named(text, w[0], w[1])) {
                return true;
            }
        }
        return inTable(text);
    }

    /** Header lines with a birth column looked at per text, and data rows read under each. */
    private static final int MAX_HEADERS = 64;

    private static final int MAX_ROWS = 50;

    /**
     * A table whose header names a birth column ({@code 会員ID,氏名,生年月日}, {@code name;dob}) and a
     * row under it with a full date in that column and a field of letters beside it: each row is a
     * person, whose name need not be capitalised (田中 美咲) or near the header.
     */
    private static boolean inTable(String text) {
        Matcher k = KEYWORD.matcher(text);
        int seen = 0;
        while (k.find() && seen++ < MAX_HEADERS) {
            int lineStart = text.lastIndexOf('\n', k.start()) + 1;
            int lineEnd = lineEnd(text, k.start());
            char separator = separator(text, lineStart, lineEnd);
            if (separator == 0) {
                continue;
            }
            int column = 0;
            for (int i = lineStart; i < k.start(); i++) {
                column += text.charAt(i) == separator ? 1 : 0;
            }
            int row = lineEnd + 1;
            for (int rows = 0; row < text.length() && rows < MAX_ROWS; rows++) {
                int end = lineEnd(text, row);
                if (personRow(text.substring(row, end), separator, column)) {
                    return true;
                }
                row = end + 1;
            }
        }
        return false;
    }

    private static int lineEnd(String text, int from) {
        int end = text.indexOf('\n', from);
        return end < 0 ? text.length() : end;
    }

    /** The field separator of a header line: tab, semicolon, pipe or comma, whichever it has most of. */
    private static char separator(String text, int from, int to) {
        char best = 0;
        int most = 0;
        for (char c : new char[] {'\t', ';', '|', ','}) {
            int n = 0;
            for (int i = from; i < to; i++) {
                n += text.charAt(i) == c ? 1 : 0;
            }
            if (n > most) {
                most = n;
                best = c;
            }
        }
        return best;
    }

    private static boolean personRow(String line, char separator, int column) {
        String[] fields = line.split(Pattern.quote(String.valueOf(separator)), -1);
        if (fields.length <= column) {
            return false;
        }
        String date = fields[column].strip().replace("\"", "");
        if (!DATE.matcher(date).matches() || SENTINEL_YEAR.matcher(date).find()) {
            return false;
        }
        for (int i = 0; i < fields.length; i++) {
            if (i != column
                    && fields[i].codePoints().filter(Character::isLetter).count() >= 2) {
                return true;
            }
        }
        return false;
    }

    /** A person's name in {@code [from, to)}: labelled, titled, or capitalised words that are names. */
    private static boolean named(String text, int from, int to) {
        for (Pattern p : List.of(
                LABELLED_NAME,
                TITLED_NAME,
                CJK_NAME,
                HONORIFIC_NAME,
                DEVANAGARI_TITLED,
                CJK_NAME_BEFORE_BIRTH,
                NATIVE_LABEL_NAME)) {
            Matcher m = p.matcher(text).region(from, to);
            m.useTransparentBounds(true);
            while (m.find()) {
                // "Name: John Doe": a label in front of a placeholder is no person
                if (!Phones.near(PLACEHOLDER_NAME, text, m.start(), m.end() + 24)) {
                    return true;
                }
            }
        }
        Matcher c = CAPITALISED.matcher(text).region(from, to);
        c.useTransparentBounds(true);
        while (c.find()) {
            if (personName(c.group())) {
                return true;
            }
        }
        return false;
    }

    private static boolean personName(String words) {
        if (PLACEHOLDER_NAME.matcher(words).find()) {
            return false;
        }
        for (String w : words.split("[\\s,]+")) {
            String lw = w.toLowerCase(Locale.ROOT);
            if (PARTICLES.contains(w)) {
                continue; // Jan de Vries, Ludwig van Beethoven
            }
            if (NOT_NAMES.contains(lw) || lw.length() < 2) {
                return false;
            }
        }
        return true;
    }
}
