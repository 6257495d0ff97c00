package io.tiergate.classifier.sensitive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in a prompt. {@code API_KEY}: a documented provider format (AWS, GitHub, GitLab, Slack,
 * Stripe, Google, OpenAI, Anthropic, Hugging Face, …). {@code CREDENTIAL}: any other password,
 * token or secret: credentials in a URL or connection string, a {@code name=value} assignment whose
 * name says password/secret/token/key and whose value is real, an Authorization header, a password
 * on a command line. {@code PRIVATE_KEY}: a PEM or PuTTY private key with a body. {@code JWT}: a
 * signed token whose header and payload decode to JSON.
 */
final class Secrets {

    private Secrets() {}

    // ---------------------------------------------------------------- provider formats (API_KEY)

    /** Cheap substrings: no provider pattern can match a text without one of them. */
    private static final String[] PROVIDER_HINTS = {
        "sk-",
        "sk_",
        "rk_",
        "whsec_",
        "AKIA",
        "ASIA",
        "ABIA",
        "ACCA",
        "A3T",
        "gho_",
        "ghp_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "glptt-",
        "gldt-",
        "glrt-",
        "xox",
        "xapp-",
        "AIza",
        "hf_",
        "npm_",
        "pypi-",
        "SG.",
        "dop_v1_",
        "shpat_",
        "shpss_",
        "shpca_",
        "shppa_",
        "gsk_",
        "xai-",
        "r8_",
        "hvs.",
        "hvb.",
        "hvr.",
        "lin_api_",
        "ntn_",
        "secret_",
        "ATATT",
        "PMAK-",
        "dp.st.",
        "dp.pt.",
        "pul-",
        "atlasv1",
        "NRAK-",
        "sntrys_",
        "sntryu_",
        "glsa_",
        "glc_",
        "figd_",
        "dapi",
        "HRKU-",
        "sbp_",
        "pplx-",
        "tskey-",
        "AGE-SECRET-KEY-",
        "sq0atp-",
        "sq0csp-",
        "EAAA",
        "AccountKey=",
        "LTAI",
        "fo1_",
        "nfp_",
        "rnd_",
        "vercel_",
        "ya29.",
        "AKID",
        "oy2",
        "hooks.slack.com",
        "/webhooks/",
        ":AA"
    };

    private static final Pattern PROVIDER_KEY = Pattern.compile("(?<![A-Za-z0-9_-])(?:"
            + "sk-ant-(?:api|admin|oat|ort)\\d{2}-[A-Za-z0-9_-]{32,}" // Anthropic
            + "|sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}" // OpenAI project, service account, admin
            + "|sk-[A-Za-z0-9_-]{16,}" // OpenAI legacy (T3BlbkFJ), OpenRouter sk-or-v1-, other sk- keys
            + "|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}" // Stripe secret and restricted keys
            + "|whsec_[A-Za-z0-9]{24,}" // Stripe webhook signing secret
            + "|(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}" // AWS access key id
            + "|gh[pousr]_[A-Za-z0-9]{36,255}" // GitHub classic, OAuth, user-to-server, server-to-server, refresh
            + "|github_pat_[A-Za-z0-9_]{40,255}" // GitHub fine-grained PAT (22 + _ + 59)
            + "|gl(?:pat|ptt|dt|rt)-[A-Za-z0-9_-]{20,}" // GitLab personal, trigger, deploy, runner tokens
            + "|xox[abposre]-[A-Za-z0-9-]{10,}" // Slack bot, user, app, refresh, legacy tokens
            + "|xapp-\\d-[A-Za-z0-9-]{20,}" // Slack app-level token
            + "|AIza[0-9A-Za-z_-]{35}" // Google API key
            + "|hf_[A-Za-z0-9]{30,}" // Hugging Face
            + "|npm_[A-Za-z0-9]{36}" // npm
            + "|pypi-AgE[A-Za-z0-9_-]{50,}" // PyPI upload token (macaroon)
            + "|SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}" // SendGrid
            + "|dop_v1_[a-f0-9]{64}" // DigitalOcean
            + "|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}" // Shopify
            + "|gsk_[A-Za-z0-9]{48,}" // Groq
            + "|xai-[A-Za-z0-9]{60,}" // xAI
            + "|r8_[A-Za-z0-9]{30,}" // Replicate
            + "|hv[sbr]\\.[A-Za-z0-9_-]{24,}" // HashiCorp Vault service, batch and recovery tokens
            + "|lin_api_[A-Za-z0-9]{40}" // Linear
            + "|(?:ntn_[A-Za-z0-9]{40,}|secret_[A-Za-z0-9]{43})" // Notion integration tokens
            + "|ATATT3[A-Za-z0-9_=-]{100,}" // Atlassian API token
            + "|PMAK-[a-f0-9]{24}-[a-f0-9]{34}" // Postman
            + "|dp\\.(?:st|pt|ct|sa|scim)\\.[A-Za-z0-9_-]{40,}" // Doppler
            + "|pul-[a-f0-9]{40}" // Pulumi
            + "|[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,}" // Terraform Cloud / HCP
            + "|NRAK-[A-Z0-9]{27}" // New Relic user key
            + "|sntr[ys]u?_[A-Za-z0-9+/=_-]{40,}" // Sentry auth tokens
            + "|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/=_-]{32,}" // Grafana service account, cloud
            + "|figd_[A-Za-z0-9_-]{40,}" // Figma
            + "|dapi[a-f0-9]{32}(?:-\\d)?" // Databricks
            + "|HRKU-[A-Za-z0-9_-]{30,}" // Heroku
            + "|sbp_[a-f0-9]{40}" // Supabase
            + "|pplx-[A-Za-z0-9]{40,}" // Perplexity
            + "|tskey-(?:auth|api|client|scim)-[A-Za-z0-9]{8,}-[A-Za-z0-9]{20,}" // Tailscale
            + "|AGE-SECRET-KEY-1[0-9A-Z]{58}" // age encryption key
            + "|sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}|EAAA[A-Za-z0-9_-]{60}" // Square
            + "|LTAI[A-Za-z0-9]{12,20}" // Alibaba Cloud access key id
            + "|fo1_[A-Za-z0-9_-]{40,}" // Fly.io
            + "|nfp_[A-Za-z0-9]{36,}" // Netlify
            + "|rnd_[A-Za-z0-9]{28,}" // Render
            + "|ya29\\.[A-Za-z0-9_-]{30,}" // Google OAuth access token
            + "|AKID[A-Za-z0-9]{32}" // Tencent Cloud SecretId
            + "|oy2[a-z0-9]{43}" // NuGet
            + ")(?![A-Za-z0-9_])"
            // Azure storage account key in a connection string
            + "|AccountKey=[A-Za-z0-9+/]{86}=="
            // Slack and Discord webhooks; Telegram bot tokens (bot id, colon, 35 characters starting AA)
            + "|hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_+-]{20,}"
            + "|discord(?:app)?\\.com/api/webhooks/\\d{5,}/[A-Za-z0-9_-]{40,}"
            + "|(?<![\\d])\\d{8,10}:AA[0-9A-Za-z_-]{33}(?![A-Za-z0-9_-])");

    /**
     * Placeholders inside a provider-shaped token: hand-written words (case-insensitive, except
     * "example" and "token", which count only in lower case: the AWS documentation key
     * AKIAIOSFODNN7EXAMPLE is key-shaped and still counts) and runs of one character.
     */
    private static final Pattern KEY_PLACEHOLDER = Pattern.compile(
            "(?i:your|here|placeholder|redacted|dummy|changeme|replace|insert|fake|xxxx)|example|token|sample|(.)\\1{5,}");

    static boolean hasProviderHint(String text) {
        for (String hint : PROVIDER_HINTS) {
            if (text.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    /** A provider key whose random part looks random. */
    static boolean hasProviderKey(String text) {
        Matcher m = PROVIDER_KEY.matcher(text);
        while (m.find()) {
            if (realProviderKey(m.group())) {
                return true;
            }
        }
        return false;
    }

    /** Prefixes followed by exactly 32 lower-case hex digits: Twilio API keys (SK…), Mailgun keys (key-…). */
    private static final String[] HEX_KEY_PREFIXES = {"SK", "key-"};

    /**
     * Twilio {@code SK} + 32 hex and Mailgun {@code key-} + 32 hex, found by a scan for the prefix (the
     * prefixes are too common for the {@link #PROVIDER_KEY} gate): not glued to a word before, no more
     * hex after, digits and letters both in the body.
     */
    static boolean hasHexKey(String text) {
        for (String prefix : HEX_KEY_PREFIXES) {
            for (int at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
                int body = at + prefix.length();
                int end = body + 32;
                if (end > text.length() || (at > 0 && Character.isLetterOrDigit(text.charAt(at - 1)))) {
                    continue;
                }
                if (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    continue;
                }
                boolean hex = true;
                boolean letter = false;
                boolean digit = false;
                for (int i = body; i < end && hex; i++) {
                    char c = text.charAt(i);
                    hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                    letter |= c >= 'a';
                    digit |= c <= '9';
                }
                if (hex && letter && digit) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code value} (a whole value, not a text) is a provider key: it is reported as API_KEY. */
    static boolean isProviderKey(String value) {
        Matcher m = PROVIDER_KEY.matcher(value);
        return m.lookingAt() && m.end() == value.length();
    }

    /**
     * The part after the vendor prefix (AKIA, ghp_, sk-proj-, xoxb-, hooks.slack.com/services/) must
     * look generated: digits with letters, or mixed case; and hold no placeholder.
     */
    private static boolean realProviderKey(String key) {
        String body = key.substring(Math.min(4, key.length()));
        boolean digits = false;
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            digits |= c >= '0' && c <= '9';
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
        }
        boolean random = digits && (upper || lower) || upper && lower;
        return random && !KEY_PLACEHOLDER.matcher(body).find() && Values.entropy(body) >= 2.5;
    }

    // ---------------------------------------------------------------- credentials (CREDENTIAL)

    /** Anything that may introduce a credential (lower case); without one of these, CREDENTIAL is not searched. */
    private static final String[] CREDENTIAL_HINTS = {
        "://",
        "pass",
        "pwd",
        "psw",
        "secret",
        "token",
        "key",
        "credential",
        "creds",
        "auth",
        "identified",
        "kennwort",
        "contrase",
        "senha",
        "mot de passe",
        "wachtwoord",
        "hasło",
        "haslo",
        "lösenord",
        "パスワード",
        "mysql",
        "mariadb",
        "sshpass",
        "pin",
        "暗証番号",
        "비밀번호",
        "login",
        "log-in",
        "logon",
        "sign-in",
        "signin",
        "user",
        "benutzer",
        "usuario",
        "utilisateur",
        "identifiant",
        "utente",
        "gebruiker",
        "acesso",
        "acceso",
        "accesso",
        "zugang",
        "ログイン",
        "로그인",
        "curl",
        "redis-cli",
        "jdbc:",
        "ldap"
    };

    static boolean mayHoldCredential(String lower) {
        return Words.containsAny(lower, CREDENTIAL_HINTS);
    }

    /**
     * scheme://user:password@host — any scheme (postgres, mongodb+srv, redis, amqp, https, ftp, …); the
     * password runs to the last {@code @} before the host, so one with an {@code @} in it is read whole.
     */
    private static final Pattern URL_USERINFO = Pattern.compile(
            "(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,30}://([^\\s:/?#@\"'<>\\[\\]]{0,128}):([^\\s/\"'<>]{1,256})@(?=[A-Za-z0-9\\[._-])");

    /** Oracle thin: jdbc:oracle:thin:user/password@host. */
    private static final Pattern ORACLE =
            Pattern.compile("(?i)jdbc:oracle:\\w+:([A-Za-z0-9_$#]{1,64})/([^\\s@\"']{1,128})@");

    /** Where a credential keyword occurs (lower case); the surrounding identifier is read around it. */
    private static final String[] KEYWORDS = {
        "pass", "pwd", "psw", "secret", "token", "key", "credential", "creds", "kennwort", "contrase", "senha", "auth"
    };
    /** Keyword occurrences looked at per text: a text of nothing but "password=" stays bounded. */
    private static final int MAX_KEYWORDS = 2048;

    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(?i)authorization[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?(bearer|basic|token|apikey|sso-key|digest)\\s+([A-Za-z0-9._~+/=:-]{6,2048})");

    private static final Pattern CURL_USER = Pattern.compile(
            "(?i)\\bcurl\\b[^\\n]{0,300}?\\s(?:-u|--user)\\s*[\"']?([^\\s:\"']{1,64}):([^\\s\"']{1,128})");

    private static final Pattern CLI_PASSWORD = Pattern.compile(
            "(?i)\\b(?:mysql(?:dump|admin)?|mariadb)\\b[^\\n]{0,200}?\\s-p([^\\s'\"-][^\\s'\"]{2,127}|'[^'\\n]{3,128}'|\"[^\"\\n]{3,128}\")"
                    + "|\\b(?:docker|podman|helm|oras)\\s+(?:registry\\s+)?login\\b[^\\n]{0,200}?\\s(?:-p|--password)[\\s=]+([^\\s]{3,256})"
                    + "|\\bsshpass\\s+-p\\s*([^\\s]{3,256})"
                    + "|\\bredis-cli\\b[^\\n]{0,200}?\\s(?:-a|--pass)\\s+([^\\s]{3,256})"
                    + "|\\bldap(?:search|modify|add|delete|whoami|passwd|compare)\\b[^\\n]{0,300}?\\s-w\\s+('[^'\\n]{3,128}'|\"[^\"\\n]{3,128}\"|[^\\s'\"]{3,128})"
                    + "|\\bidentified\\s+by\\s+(?:password\\s+)?'([^'\\n]{3,128})'"
                    + "|\\bmachine\\s+\\S+\\s+login\\s+\\S+\\s+password\\s+(\\S{3,128})");

    /** Kubernetes/compose env lists: {@code - name: DB_PASSWORD} then {@code value: ...} on the next line. */
    private static final Pattern NAME_VALUE_PAIR = Pattern.compile(
            "(?i)name:\\s{0,3}[\"']?([A-Za-z0-9_.-]{1,64})[\"']?[ \\t]*\\r?\\n[ \\t-]*value:[ \\t]*([^\\n]{1,256})");

    /**
     * "Login admin@tenant / Fjord$2839xtig", "user: ops-admin | pw Xk29!pq7Lm": a login word, a user
     * name, then a slash or bar and a value no prose contains (8+ characters of three classes, not a
     * placeholder, not a path): a login pair handed over in a message.
     */
    private static final Pattern LOGIN_PAIR = Pattern.compile(
            "(?iu)(?<!\\p{L})(?:log-?in|logon|sign-?in|user(?:name)?|benutzer(?:name)?|usuario|utilisateur|identifiant|"
                    + "utente|gebruiker(?:snaam)?|acesso|acceso|accesso|zugang(?:sdaten)?|credentials?|creds|ログイン|로그인)"
                    + "[ \\t]{0,2}(?:(?:is|are|es|ist|est|sind|son|é|è)[ \\t]{1,2})?[:=]?[ \\t]{0,2}([^\\s/|]{2,64})[ \\t]{0,2}[/|][ \\t]{0,2}(?:(?:pw|pwd|pass|password)[ \\t]{0,2}[:=]?[ \\t]{0,2})?"
                    + "([^\\s]{8,64})");

    private static final String[] LOGIN_WORDS = {
        "login", "log-in", "logon", "sign-in", "signin", "user", "benutzer", "usuario", "utilisateur", "identifiant",
        "utente", "gebruiker", "acesso", "acceso", "accesso", "zugang", "credential", "creds", "ログイン", "로그인"
    };

    private static boolean loginPair(String text, String lower) {
        return around(text, lower, LOGIN_WORDS, 0, 200, LOGIN_PAIR, m -> {
            String value = m.group(2);
            while (!value.isEmpty() && ".,;:!?)".indexOf(value.charAt(value.length() - 1)) >= 0) {
                value = value.substring(0, value.length() - 1);
            }
            return value.length() >= 8
                    && Values.classes(value) >= 3
                    && Values.passwordLike(value, false)
                    && !value.contains("/");
        });
    }

    /**
     * "my bank app PIN is 1472", "¿el PIN de la tarjeta? — es 3539", "PIN-Code: 80417": the word PIN (upper
     * case, or a PIN-code word of another language), then within 60 characters a verb or colon and a
     * number of 4 to 8 digits on its own that is not a trivial sequence (1234, 0000) or a year.
     */
    private static final Pattern PIN_VALUE = Pattern.compile(
            "(?:\\bPIN\\b|\\bPin-Code\\b|\\bPIN-Code\\b|(?i:código\\s+pin|code\\s+pin|codice\\s+pin|pincode|pin-koodi)|暗証番号|비밀번호)"
                    + "[^\\n\\d]{0,50}?(?:\\n[^\\n\\d]{0,30}?)?"
                    + "(?i:\\bis\\b|\\bes\\b|\\bist\\b|\\best\\b|è|é|\\blautet\\b|\\bwas\\b|\\bera\\b|\\bé\\b|[:=：]|は|는|은)"
                    + "[\\s\"'`]{0,3}(\\d{4,8})(?!\\d|[.,:/-]\\d|\\s?(?:%|digits|dígitos|chiffres|Stellen|cifre|자리|桁))");

    private static final String[] PIN_WORDS = {"pin", "暗証番号", "비밀번호"};

    private static boolean pinInProse(String text, String lower) {
        return around(text, lower, PIN_WORDS, 0, 120, PIN_VALUE, m -> {
            String pin = m.group(1);
            return !trivialDigits(pin) && !(pin.length() == 4 && (pin.startsWith("19") || pin.startsWith("20")));
        });
    }

    /** 0000, 1111, 1234, 4321, 123456: what documentation writes for a PIN. */
    private static boolean trivialDigits(String digits) {
        boolean same = true;
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < digits.length(); i++) {
            int d = digits.charAt(i) - digits.charAt(i - 1);
            same &= d == 0;
            up &= d == 1;
            down &= d == -1;
        }
        return same || up || down;
    }

    static boolean hasCredential(String text, String lower) {
        return urlCredential(text, lower)
                || loginPair(text, lower)
                || pinInProse(text, lower)
                || assignment(text, lower)
                || passwordInProse(text, lower)
                || authorizationHeader(text, lower)
                || commandLine(text, lower)
                || nameValuePair(text, lower);
    }

    private static boolean urlCredential(String text, String lower) {
        return around(
                        text,
                        lower,
                        new String[] {"://"},
                        40,
                        600,
                        URL_USERINFO,
                        m -> realUrlPassword(m.group(1), m.group(2)))
                || around(
                        text,
                        lower,
                        new String[] {"jdbc:oracle"},
                        0,
                        300,
                        ORACLE,
                        o -> realUrlPassword(o.group(1), o.group(2)));
    }

    /**
     * Runs {@code pattern} only around the places where one of {@code triggers} (lower case) occurs:
     * from {@code before} characters ahead of each to {@code after} behind it, overlapping windows
     * merged. A pattern that would otherwise be tried at every position of a 2 KB prompt is tried over
     * a few hundred characters.
     */
    private static boolean around(
            String text,
            String lower,
            String[] triggers,
            int before,
            int after,
            Pattern pattern,
            java.util.function.Predicate<Matcher> accept) {
        int[] at = Words.positions(lower, triggers, 1024);
        if (at.length == 0) {
            return false;
        }
        Matcher m = pattern.matcher(text);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        int i = 0;
        while (i < at.length) {
            int from = Math.max(0, at[i] - before);
            int to = Math.min(text.length(), at[i] + after);
            while (i + 1 < at.length && at[i + 1] - before <= to) {
                i++;
                to = Math.min(text.length(), at[i] + after);
            }
            i++;
            m.region(from, to);
            while (m.find()) {
                if (accept.test(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final Pattern PORT_THEN_QUERY = Pattern.compile("\\d{1,5}[?#].*");

    /** Default pairs and stand-ins: guest:guest, postgres:postgres, user:password, app:${DB_PASS}. */
    private static boolean realUrlPassword(String user, String password) {
        if (PORT_THEN_QUERY.matcher(password).matches()) {
            return false; // https://host:8443?next=a@b: a port and a query, not a password
        }
        String p = percentDecode(password);
        if (p.equalsIgnoreCase(user) || Values.placeholder(p) || isProviderKey(p)) {
            return false; // a provider key in the URL is reported as API_KEY
        }
        return p.length() >= 3;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private enum NameKind {
        PASSWORD,
        SECRET,
        KEY,
        BARE_KEY,
        AWS_SECRET
    }

    /** Name parts that make a name metadata about a secret, not the secret ("password_min_length"). */
    private static final Set<String> NOT_A_SECRET_PART = Set.copyOf(java.util.List.of(
            "name",
            "names",
            "ref",
            "refs",
            "arn",
            "id",
            "ids",
            "path",
            "paths",
            "file",
            "filename",
            "files",
            "dir",
            "url",
            "uri",
            "urls",
            "endpoint",
            "type",
            "types",
            "length",
            "len",
            "size",
            "count",
            "counts",
            "max",
            "min",
            "limit",
            "limits",
            "ttl",
            "expiry",
            "expires",
            "expiration",
            "lifetime",
            "timeout",
            "header",
            "prefix",
            "suffix",
            "format",
            "policy",
            "policies",
            "rotation",
            "version",
            "versions",
            "mode",
            "enabled",
            "enable",
            "disabled",
            "required",
            "provider",
            "providers",
            "manager",
            "store",
            "source",
            "field",
            "fields",
            "column",
            "label",
            "hint",
            "rule",
            "rules",
            "regex",
            "pattern",
            "placeholder",
            "env",
            "var",
            "variable",
            "public",
            "pub",
            "primary",
            "foreign",
            "partition",
            "sort",
            "range",
            "cache",
            "idempotency",
            "routing",
            "lookup",
            "row",
            "composite",
            "unique",
            "object",
            "alias",
            "ring",
            "algorithm",
            "alg",
            "usage",
            "spec",
            "strength",
            "input",
            "prompt",
            "text",
            "message",
            "msg",
            "error",
            "errors",
            "help",
            "title",
            "description",
            "desc",
            "validation",
            "validator",
            "changed",
            "updated",
            "date",
            "time",
            "used",
            "budget",
            "rate",
            "reset",
            "forgot",
            "forgotten",
            "hint",
            "generator",
            "encoder",
            "visible",
            "visibility",
            "show",
            "toggle",
            "icon",
            "form",
            "page",
            "screen",
            "button",
            "dialog",
            "modal",
            "template",
            "schema",
            "kid",
            "fingerprint",
            "thumbprint",
            "hash",
            "hashed",
            "hashing",
            "digest",
            "salt",
            "rounds",
            "iterations",
            "cost",
            "bytes",
            "bits",
            "pair",
            "selector",
            "index",
            "indices",
            "map",
            "dict",
            "list",
            "set",
            "keys",
            "tokens",
            "secrets",
            "passwords",
            "credentials",
            "vault",
            "backend",
            "engine",
            "mount",
            "class",
            "issuer",
            "audience",
            "scope",
            "scopes",
            "grant",
            "flow",
            "location",
            "region",
            "tenant",
            "output",
            "outputs",
            "param",
            "parameter",
            "parameters",
            "property",
            "properties",
            "encoding",
            "model",
            "models",
            "generation",
            "publishable"));

    /** Words that make a bare "key" an API/access key ("api_key", "STRIPE_KEY", "x-api-key"). */
    private static final Set<String> KEY_QUALIFIERS = Set.of(
            "api",
            "access",
            "secret",
            "private",
            "auth",
            "client",
            "master",
            "signing",
            "license",
            "subscription",
            "consumer",
            "app",
            "application",
            "shared",
            "storage",
            "account",
            "admin",
            "server",
            "write",
            "read",
            "deploy",
            "stripe",
            "openai",
            "anthropic",
            "google",
            "maps",
            "sendgrid",
            "twilio",
            "mailgun",
            "azure",
            "gcp",
            "x",
            "encryption",
            "service",
            "webhook",
            "session",
            "cookie",
            "jwt",
            "hmac",
            "aes",
            "crypt",
            "cipher");

    /**
     * What a name says, from its parts (snake_case, kebab-case, camelCase, dotted): a password, a
     * secret or token, an API/access key, a bare "key", an AWS secret key; null when it says none or
     * names metadata about one.
     */
    private static NameKind nameKind(String name) {
        String[] parts = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT)
                .split("[^\\p{L}\\p{N}]+");
        boolean password = false;
        boolean secret = false;
        boolean key = false;
        boolean qualifiedKey = false;
        boolean aws = false;
        for (String p : parts) {
            if (p.isEmpty()) {
                continue;
            }
            if (NOT_A_SECRET_PART.contains(p)) {
                return null;
            }
            switch (p) {
                case "password",
                        "passwd",
                        "pass",
                        "passphrase",
                        "passwort",
                        "kennwort",
                        "pwd",
                        "pw",
                        "psw",
                        "contrasena",
                        "contraseña",
                        "senha",
                        "mdp" -> password = true;
                case "secret",
                        "token",
                        "credential",
                        "creds",
                        "cred",
                        "bearer",
                        "apitoken",
                        "authtoken",
                        "accesstoken",
                        "refreshtoken",
                        "sessiontoken",
                        "clientsecret",
                        "appsecret",
                        "webhooksecret" -> secret = true;
                case "apikey",
                        "accesskey",
                        "secretkey",
                        "privatekey",
                        "authkey",
                        "masterkey",
                        "signingkey",
                        "licensekey",
                        "subscriptionkey",
                        "accountkey",
                        "sharedkey" -> qualifiedKey = true;
                case "key" -> key = true;
                case "aws" -> aws = true;
                default -> {
                    if (p.contains("password") || p.contains("passwd") || p.contains("passphrase")) {
                        password = true;
                    } else if (p.endsWith("secret") || p.endsWith("token")) {
                        secret = true;
                    } else if (p.endsWith("apikey") || p.endsWith("accesskey") || p.endsWith("secretkey")) {
                        qualifiedKey = true;
                    }
                }
            }
        }
        if (key) {
            for (String p : parts) {
                qualifiedKey |= KEY_QUALIFIERS.contains(p);
            }
        }
        if (aws && (secret || qualifiedKey) && name.toLowerCase(Locale.ROOT).contains("secret")) {
            return NameKind.AWS_SECRET;
        }
        if (password) {
            return NameKind.PASSWORD;
        }
        if (secret) {
            return NameKind.SECRET;
        }
        if (qualifiedKey) {
            return NameKind.KEY;
        }
        if (key) {
            return NameKind.BARE_KEY;
        }
        return null;
    }

    private static boolean identifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    /**
     * {@code NAME=value}, {@code NAME: value}, {@code "name": "value"}, {@code name := "value"},
     * {@code --password value}, {@code <password>value</password>}, {@code Password=value;} in a
     * connection string: found from each credential keyword, whose identifier is read outwards.
     */
    private static boolean assignment(String text, String lower) {
        int from = 0;
        int n = text.length();
        for (int at : Words.positions(lower, KEYWORDS, MAX_KEYWORDS)) {
            if (at < from) {
                continue; // inside an identifier already read
            }
            int start = at;
            int end = at + 1;
            int limit = Math.max(0, start - 64);
            while (start > limit && identifierChar(text.charAt(start - 1))) {
                start--;
            }
            int endLimit = Math.min(n, end + 64);
            while (end < endLimit && identifierChar(text.charAt(end))) {
                end++;
            }
            from = end;
            if (start > 0 && text.charAt(start - 1) == ':') {
                continue; // a segment of an ARN or URN (arn:aws:secretsmanager:…:secret:prod/db), not a name
            }
            String name = text.substring(start, end);
            NameKind kind = nameKind(name);
            if (kind == null) {
                continue;
            }
            Op op = operator(text, start, end, name.startsWith("-"));
            if ((kind == NameKind.KEY || kind == NameKind.BARE_KEY) && namedKeyOfData(lower, start)) {
                continue; // "Cache restored from key: pip-…", "partition key:", "cache eviction key=…"
            }
            if (op != null && value(text, op, kind, name)) {
                return true;
            }
        }
        return false;
    }

    /** Words before a bare "key" that make it the key of some data (a cache entry, a row, a partition), not a secret. */
    private static final String[] DATA_KEY_WORDS = {
        "cache",
        "partition",
        "routing",
        "sort",
        "primary",
        "foreign",
        "idempotency",
        "dedup",
        "lookup",
        "shard",
        "composite",
        "row",
        "record",
        "message",
        "object",
        "s3",
        "bucket",
        "index",
        "hash",
        "map",
        "join",
        "grouping"
    };

    /** One of {@link #DATA_KEY_WORDS} in the 32 characters before the name, on its line. */
    private static boolean namedKeyOfData(String lower, int nameStart) {
        int from = Math.max(0, nameStart - 32);
        int lineStart = lower.lastIndexOf('\n', nameStart - 1) + 1;
        for (String token :
                lower.substring(Math.max(from, lineStart), nameStart).split("[^\\p{L}\\p{N}]+")) {
            for (String word : DATA_KEY_WORDS) {
                if (token.equals(word)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where a value starts; {@code spaced}: after a bare space, {@code closeTag}: inside {@code <name>…</name>}. */
    private record Op(int at, boolean spaced, boolean prose, String closeTag) {}

    /** "my password is Summer2024!", "Das Passwort lautet …": a verb between name and value. */
    private static final Pattern PROSE_VERB =
            Pattern.compile("(?iu)(?:is|was|ist|lautet|war|est|était|es|era|è|é|:)[ \\t]{1,3}");

    /**
     * The value after the name's operator ({@code = : := => == ->}, a space after a
     * {@code --flag} or before a quote, a bare space before a value judged more strictly, or
     * {@code <name>value</name>}); null when the name is not assigned here.
     */
    private static Op operator(String text, int nameStart, int nameEnd, boolean flag) {
        int n = text.length();
        int i = nameEnd;
        // closing quote of a quoted name: "password": / \"password\": / ['password'] =
        if (i < n && text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) == '"') {
            i += 2;
        } else if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '\'' || text.charAt(i) == '`')) {
            i++;
        }
        if (i < n && text.charAt(i) == ']') {
            i++;
        }
        if (nameStart > 0 && text.charAt(nameStart - 1) == '<' && i < n && text.charAt(i) == '>') {
            return new Op(i + 1, false, false, "</" + text.substring(nameStart, nameEnd) + ">");
        }
        int spaces = 0;
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t') && spaces < 4) {
            i++;
            spaces++;
        }
        if (i >= n) {
            return null;
        }
        char c = text.charAt(i);
        if (c == ':' && i + 1 < n && text.charAt(i + 1) == '=') {
            i += 2;
        } else if (c == '=' && i + 1 < n && (text.charAt(i + 1) == '>' || text.charAt(i + 1) == '=')) {
            i += 2;
        } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '>') {
            i += 2;
        } else if (c == '=' || c == ':') {
            if (c == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
                return null; // Kotlin/C++ scope, not an assignment
            }
            i++;
        } else if (spaces > 0 && (flag || c == '"' || c == '\'')) {
            return new Op(i, false, false, null); // --password value; PASSWORD 'value' (SQL)
        } else if (spaces > 0) {
            Matcher verb = PROSE_VERB.matcher(text).region(i, Math.min(n, i + 12));
            if (verb.lookingAt() && verb.end() < n) {
                return new Op(verb.end(), false, true, null); // "my password is Summer2024!"
            }
            return new Op(i, true, false, null); // proxy_set_header X-Api-Key <value>; judged more strictly
        } else {
            return null;
        }
        int s = 0;
        while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t') && s < 4) {
            i++;
            s++;
        }
        return i < n ? new Op(i, false, false, null) : null;
    }

    /** Reads the value at {@code op} (quoted, unquoted or up to a closing tag) and judges it for a name of {@code kind}. */
    private static boolean value(String text, Op op, NameKind kind, String name) {
        int n = text.length();
        int at = op.at();
        if (at >= n) {
            return false; // "<password>" at the very end
        }
        char q = text.charAt(at);
        if (kind == NameKind.PASSWORD
                && APP_PASSWORD.matcher(text).region(at, Math.min(n, at + 20)).lookingAt()) {
            return true; // a Google app password, four groups of four letters: SMTP_PASSWORD=qzvt mkpl xwhr bnae
        }
        String value;
        boolean quoted;
        if (op.closeTag() != null) {
            int close = indexWithin(text, op.closeTag(), at, 300);
            if (close < 0 || close - at > 300) {
                return false; // "<password>" in prose, not an element with a value
            }
            value = text.substring(at, close).strip();
            quoted = true;
        } else if (q == '\\' && at + 1 < n && text.charAt(at + 1) == '"') {
            int close = indexWithin(text, "\\\"", at + 2, 300);
            if (close < 0 || close - at > 300) {
                return false;
            }
            value = text.substring(at + 2, close);
            quoted = true;
        } else if (q == '"' || q == '\'' || q == '`') {
            int close = indexWithin(text, String.valueOf(q), at + 1, 300);
            if (close < 0 || close - at > 300) {
                return false;
            }
            value = text.substring(at + 1, close);
            quoted = true;
        } else {
            int e = at;
            while (e < n && e - at < 300) {
                char c = text.charAt(e);
                if (Character.isWhitespace(c)
                        || c == ','
                        || c == ';'
                        || c == '&'
                        || c == '"'
                        || c == '\''
                        || c == '<'
                        || c == '`'
                        || c == ')'
                        || c == '}'
                        || c == ']') {
                    break;
                }
                e++;
            }
            value = text.substring(at, e);
            while (!value.isEmpty() && ".:".indexOf(value.charAt(value.length() - 1)) >= 0) {
                value = value.substring(0, value.length() - 1);
            }
            quoted = false;
        }
        if (op.prose() && !quoted) {
            // a sentence: the value must not be a word ("the password is incorrect", "the token was revoked")
            return kind != NameKind.BARE_KEY && realValue(value, false, kind);
        }
        if (op.spaced()) {
            // no operator: "the api key is expired" must not count, so only a qualified name ("X-Api-Key",
            // not a bare "key" of prose) and a value no one would write as prose; "guardrail pass req=…" is a
            // log's verb and the next field, not a password
            if (value.indexOf('=') > 0 || value.endsWith(":") || name.equals("pass") || name.equals("Pass")) {
                return false;
            }
            return switch (kind) {
                case PASSWORD -> Values.classes(value) >= 3 && value.length() >= 8 && Values.passwordLike(value, false);
                case BARE_KEY -> false;
                default -> realValue(value, false, NameKind.KEY);
            };
        }
        return realValue(value, quoted, kind);
    }

    private static final Pattern APP_PASSWORD = Pattern.compile("[a-z]{4}(?: [a-z]{4}){3}(?![A-Za-z0-9])");

    /** Password words of several languages, for {@link #passwordInProse}. */
    private static final String[] PASSWORD_WORDS = {
        "password",
        "passwort",
        "kennwort",
        "contraseña",
        "contrasena",
        "senha",
        "mot de passe",
        "wachtwoord",
        "hasło",
        "haslo",
        "lösenord",
        "パスワード"
    };

    /**
     * "ho cambiato la password dell'account amministratore: ora è mK9#vL2qPz!e8Rt": a password word,
     * then within 100 characters a token no prose contains: 10+ characters with lower case, upper case,
     * digits and symbols, not a placeholder; or 12+ characters of three classes that look generated
     * ("mot de passe 4YBfQJnqDdKOWxo"); or a generated passphrase ({@link #PASSPHRASE}).
     */
    private static boolean passwordInProse(String text, String lower) {
        for (int at : Words.positions(lower, PASSWORD_WORDS, 256)) {
            int end = Math.min(text.length(), at + 100);
            while (end < text.length() && end < at + 400 && !Character.isWhitespace(text.charAt(end))) {
                end++; // a token cut by the window is read whole (an ssh key's body is no password)
            }
            for (String token : text.substring(at, end).split("[\\s,;\"'`()<>\\[\\]{}]+")) {
                String t = token;
                while (!t.isEmpty()
                        && ".:!?".indexOf(t.charAt(t.length() - 1)) >= 0
                        && Values.classes(t.substring(0, t.length() - 1)) >= 4) {
                    t = t.substring(0, t.length() - 1); // a sentence's full stop after the value
                }
                if (t.length() > 64 || t.indexOf('/') >= 0 || t.indexOf('=') >= 0 || t.contains("://")) {
                    continue;
                }
                if ((t.length() >= 10 && Values.classes(t) >= 4 && !Values.placeholder(t))
                        || generatedAlphanumeric(t)
                        || PASSPHRASE.matcher(t).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final Pattern ALPHANUMERIC_12 = Pattern.compile("[A-Za-z0-9]{12,64}");

    /** "4YBfQJnqDdKOWxo": 12+ letters and digits, both cases and a digit, random-looking. */
    private static boolean generatedAlphanumeric(String t) {
        if (!ALPHANUMERIC_12.matcher(t).matches() || Values.classes(t) < 3) {
            return false;
        }
        long digits = t.chars().filter(Character::isDigit).count();
        if (digits == 0) {
            return false;
        }
        int letters = 0;
        int caseChanges = 0;
        int previous = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                int kind = Character.isUpperCase(c) ? 1 : 2;
                caseChanges += previous != 0 && kind != previous ? 1 : 0;
                previous = kind;
            }
        }
        // case flips every few letters ("4YBfQJnqDdKOWxo"), or the detector's random-value rule
        return (caseChanges * 3 >= letters && Values.entropy(t) >= 3.0) || Values.randomSecret(t, 12);
    }

    /**
     * A generated passphrase: three or more words of four or more letters joined by hyphens and a
     * number ({@code nordlicht-lavanda-marea-73}), or four or more such words; read only after
     * a password word, so a resource name ({@code kv-prod-weu-01}) elsewhere is not one.
     */
    private static final Pattern PASSPHRASE =
            Pattern.compile("(?u)(?:\\p{L}{4,}-){2,}\\p{L}{4,}-?\\d{1,4}|(?:\\p{L}{4,}-){3,}\\p{L}{4,}");

    /** indexOf that looks at most {@code limit} characters ahead: a value never runs past that. */
    private static int indexWithin(String text, String what, int from, int limit) {
        int end = Math.min(text.length(), from + limit + what.length());
        for (int i = from; i + what.length() <= end; i++) {
            if (text.startsWith(what, i)) {
                return i;
            }
        }
        return -1;
    }

    private static final Pattern AWS_SECRET_SHAPE = Pattern.compile("[A-Za-z0-9/+]{40}");

    private static boolean realValue(String value, boolean quoted, NameKind kind) {
        if (value.isEmpty() || isProviderKey(value) || value.startsWith("eyJ") || value.startsWith("-----BEGIN")) {
            return false; // provider keys, JWTs and PEM blocks have kinds of their own
        }
        if (value.startsWith("pk_live_") || value.startsWith("pk_test_")) {
            return false; // Stripe publishable keys are public by design
        }
        if (DIGEST.matcher(value).lookingAt()) {
            return false; // key=sha256:…: a content digest names data, it opens nothing
        }
        if (encodedPlaceholder(value)) {
            return false; // a Kubernetes Secret's data: Y2hhbmdlbWU= is base64 of "changeme"
        }
        return switch (kind) {
            case PASSWORD -> Values.passwordLike(value, quoted);
            case SECRET -> Values.randomSecret(value, 12) || (quoted && Values.randomSecret(value, 10));
            case KEY -> Values.randomSecret(value, 16);
            case BARE_KEY -> !Values.uuid(value) && Values.randomSecret(value, 20);
            // a 40-character AWS secret is reported as API_KEY (hasAwsSecret), anything else there as a credential
            case AWS_SECRET -> !AWS_SECRET_SHAPE.matcher(value).matches() && Values.randomSecret(value, 16);
        };
    }

    private static final Pattern DIGEST = Pattern.compile(
            "(?i)(?:sha1|sha224|sha256|sha384|sha512|sha3-\\d{3}|md5|blake2[bs]?|blake3|xxh64|crc32)[:-]");

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{8,88}={0,2}");

    /** Base64 that decodes to printable text which is a placeholder (changeme, password, example). */
    private static boolean encodedPlaceholder(String value) {
        if (value.length() % 4 != 0 || !BASE64.matcher(value).matches()) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (byte b : decoded) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        String text = new String(decoded, StandardCharsets.US_ASCII);
        return Values.placeholder(text) || DEFAULT_PASSWORDS.contains(text.toLowerCase(Locale.ROOT));
    }

    private static final Set<String> DEFAULT_PASSWORDS =
            Set.of("changeme", "password", "admin", "secret", "example", "test", "root", "guest", "default");

    /** A 40-character AWS secret access key next to an AWS secret name (reported as API_KEY). */
    private static boolean awsSecret(String value) {
        return Values.hasRandomSegment(value)
                && Values.entropy(value) >= 3.5
                && !KEY_PLACEHOLDER.matcher(value).find();
    }

    /** AWS secret access keys are a provider format: {@code aws_secret_access_key = <40 chars>}. */
    private static final Pattern AWS_SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)aws[a-z0-9_.-]{0,20}secret[a-z0-9_.-]{0,20}[\"']?\\s{0,3}(?:[:=]|=>)\\s{0,3}[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
                    + "|secret[_ -]?access[_ -]?key[\"']?\\s{0,3}(?:[:=]|=>)\\s{0,3}[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])");

    static boolean hasAwsSecret(String text, String lower) {
        return around(
                text,
                lower,
                new String[] {"secret"},
                48,
                120,
                AWS_SECRET_ASSIGNMENT,
                m -> awsSecret(m.group(1) != null ? m.group(1) : m.group(2)));
    }

    private static boolean authorizationHeader(String text, String lower) {
        return around(text, lower, new String[] {"authorization"}, 0, 2100, AUTH_HEADER, m -> {
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            String token = m.group(2);
            if (scheme.equals("basic")) {
                String decoded = decodeBase64(token);
                int colon = decoded == null ? -1 : decoded.indexOf(':');
                return colon > 0 && realUrlPassword(decoded.substring(0, colon), decoded.substring(colon + 1));
            }
            return !token.startsWith("eyJ") && !isProviderKey(token) && Values.randomSecret(token, 16);
        });
    }

    private static String decodeBase64(String s) {
        try {
            return new String(Base64.getDecoder().decode(s.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final String[] CLI_TRIGGERS = {
        "mysql", "mariadb", "docker", "podman", "helm", "oras", "sshpass", "identified", "machine", "redis-cli", "ldap"
    };

    private static boolean commandLine(String text, String lower) {
        return around(
                        text,
                        lower,
                        new String[] {"curl"},
                        0,
                        400,
                        CURL_USER,
                        c -> realUrlPassword(c.group(1), c.group(2)))
                || around(text, lower, CLI_TRIGGERS, 0, 400, CLI_PASSWORD, m -> {
                    for (int g = 1; g <= m.groupCount(); g++) {
                        String v = m.group(g);
                        if (v != null) {
                            v = stripQuotes(v);
                            if (!Values.placeholder(v) && !isProviderKey(v) && v.length() >= 3) {
                                return true;
                            }
                        }
                    }
                    return false;
                });
    }

    private static String stripQuotes(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static boolean nameValuePair(String text, String lower) {
        return around(text, lower, new String[] {"value:"}, 120, 300, NAME_VALUE_PAIR, m -> {
            NameKind kind = nameKind(m.group(1));
            if (kind == null) {
                return false;
            }
            String raw = m.group(2).strip();
            boolean quoted = raw.length() >= 2 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'');
            return realValue(quoted ? stripQuotes(raw) : raw, quoted, kind);
        });
    }

    // ---------------------------------------------------------------- private keys, JWT

    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----"
                    + "(?:[ \\t]*(?:\\r?\\n|\\\\[rn])){1,4}[ \\t]*(?:(?:Proc-Type|Comment|Version):|[A-Za-z0-9+/=]{6}|MII|MH[cQ]|MC4|b3Bl)"
                    + "|-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----[ \\t]{0,4}[A-Za-z0-9+/=]{20}"
                    + "|PuTTY-User-Key-File-\\d: [^\\n]{1,40}\\n(?:[^\\n]{0,200}\\n){0,6}?Private-Lines: \\d+");

    /** A PEM private key header followed by a body (a header alone is how documentation names the format). */
    static boolean hasPrivateKey(String text) {
        return (text.contains("-----BEGIN ") || text.contains("PuTTY-User-Key-File-"))
                && PRIVATE_KEY.matcher(text).find();
    }

    private static final Pattern JWT = Pattern.compile(
            "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,})\\.([A-Za-z0-9_-]{5,})\\.([A-Za-z0-9_-]*)(?![A-Za-z0-9_-])");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JWT_CANDIDATES = 64;

    /**
     * Three base64url parts: the first decodes to a JSON object naming an "alg", the second decodes
     * to a JSON object or at least starts like one ("eyJ", when a pasted token was cut short).
     */
    static boolean hasJwt(String text) {
        if (!text.contains("eyJ")) {
            return false;
        }
        Matcher m = JWT.matcher(text);
        int tried = 0;
        while (m.find() && tried++ < MAX_JWT_CANDIDATES) {
            JsonNode header = decodeJson(m.group(1));
            if (header != null && header.isObject() && header.has("alg")) {
                JsonNode payload = decodeJson(m.group(2));
                if ((payload != null && payload.isObject()) || m.group(2).startsWith("eyJ")) {
                    return true; // a payload cut short still starts as a JSON object does
                }
            }
        }
        return false;
    }

    private static JsonNode decodeJson(String base64url) {
        if (base64url.length() > 8192) {
            return null;
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(base64url);
            return JSON.readTree(raw);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null; // not base64url or not JSON: not a token
        }
    }
}
