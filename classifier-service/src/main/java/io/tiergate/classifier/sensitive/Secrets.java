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
            + ")(?![A-Za-z0-9_])"
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
        "login",
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
            "(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,30}://([^\\s:/?#@\"'<>\\[\\]]{0,128}):([^\\s/?\"'<>]{1,256})@(?=[A-Za-z0-9\\[._-])");

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

    static boolean hasCredential(String text, String lower) {
        return urlCredential(text, lower)
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

    /** Default pairs and stand-ins: guest:guest, postgres:postgres, user:password, app:${DB_PASS}. */
    private static boolean realUrlPassword(String user, String password) {
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
            if (op != null && value(text, op, kind)) {
                return true;
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
    private static boolean value(String text, Op op, NameKind kind) {
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
            // not a bare "key" of prose) and a value no one would write as prose
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
        return switch (kind) {
            case PASSWORD -> Values.passwordLike(value, quoted);
            case SECRET -> Values.randomSecret(value, 12) || (quoted && Values.randomSecret(value, 10));
            case KEY -> Values.randomSecret(value, 16);
            case BARE_KEY -> !Values.uuid(value) && Values.randomSecret(value, 20);
            // a 40-character AWS secret is reported as API_KEY (hasAwsSecret), anything else there as a credential
            case AWS_SECRET -> !AWS_SECRET_SHAPE.matcher(value).matches() && Values.randomSecret(value, 16);
        };
    }

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
