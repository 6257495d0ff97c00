package io.tiergate.classifier.sensitive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data and secrets in a prompt: any hit makes the request sovereign (local only).
 * Patterns find candidates; checksums and issuer rules reject look-alikes (a 16-digit order number
 * failing Luhn is not a card, an IBAN with a wrong check digit is not an IBAN). Reports kinds only,
 * never values. Thread-safe; see docs/classifier.md for what each kind accepts and rejects.
 */
public final class SensitiveDataDetector {

  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,8}"
              + "([A-Za-z]{2,24}))(?![A-Za-z0-9-])(:?)");
  /** File extensions that follow '@' in asset names (icon@2x.png), not top-level domains here. */
  private static final Set<String> FILE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "tsx", "jsx", "css",
          "scss", "map", "json", "yaml", "yml", "xml", "html", "txt", "lock", "java", "kt", "class", "jar");
  /** Kotlin labels (this@Outer.member) look like local parts. */
  private static final Set<String> CODE_LABELS = Set.of("this", "super", "return", "break", "continue");

  /** +country code and 2-6 groups (E.164: 8-15 digits in all). */
  private static final Pattern PHONE_INTERNATIONAL =
      Pattern.compile("(?<![\\w+])\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,6}(?![\\w-])");
  /** North American: (555) 010-1234, 555-010-1234, 555.010.1234. */
  private static final Pattern PHONE_NANP =
      Pattern.compile("(?<![\\w-])(?:\\(\\d{3}\\) ?|\\d{3}[-.])\\d{3}[-.]\\d{4}(?![\\w-])");

  /** 13-19 digits, optionally in groups split by one kind of separator, not inside a longer run. */
  private static final Pattern CARD =
      Pattern.compile("(?<![\\d-])(?<!\\d[.,])\\d{4}(?:([ -]?)\\d{2,6})(?:\\1\\d{1,6}){1,3}(?![\\d-]|[.,]\\d)");

  private static final Pattern IBAN =
      Pattern.compile("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])");

  private static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})-(\\d{2})-(\\d{4})(?![\\d-])");
  private static final Pattern SSN_LABELLED =
      Pattern.compile("(?i)\\b(?:ssn|social security(?: number| no\\.?)?)\\s*(?:#|no\\.?|number)?\\s*[:=]?\\s*(\\d{9})\\b");

  /** First letters D, F, I, Q, U, V and second letters D, F, I, O, Q, U, V are never issued. */
  private static final Pattern UK_NINO =
      Pattern.compile(
          "(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D](?![A-Za-z0-9])");
  private static final Set<String> NINO_EXCLUDED_PREFIXES = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");

  private static final Pattern ES_DNI = Pattern.compile("(?<![A-Za-z0-9])(\\d{8})-?([A-Z])(?![A-Za-z0-9])");
  private static final Pattern ES_NIE = Pattern.compile("(?<![A-Za-z0-9])([XYZ])-?(\\d{7})-?([A-Z])(?![A-Za-z0-9])");

  private static final Pattern API_KEY =
      Pattern.compile(
          "(?<![A-Za-z0-9_-])(?:"
              + "sk-[A-Za-z0-9_-]{20,}" // OpenAI (sk-proj-…), Anthropic (sk-ant-…), OpenRouter (sk-or-v1-…)
              + "|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}" // Stripe
              + "|(?:AKIA|ASIA)[A-Z0-9]{16}" // AWS access key id
              + "|gh[pousr]_[A-Za-z0-9]{36,255}" // GitHub tokens
              + "|github_pat_[A-Za-z0-9_]{40,}" // GitHub fine-grained tokens
              + "|xox[abposr]-[A-Za-z0-9-]{10,}" // Slack
              + "|AIza[0-9A-Za-z_-]{35}" // Google API key
              + ")(?![A-Za-z0-9_])");

  private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----");

  private static final Pattern JWT =
      Pattern.compile("(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{5,})\\.([A-Za-z0-9_-]{5,})\\.([A-Za-z0-9_-]*)(?![A-Za-z0-9_-])");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The kinds found in {@code text}, in {@link SensitiveKind} order; empty when none. */
  public Set<SensitiveKind> detect(String text) {
    EnumSet<SensitiveKind> kinds = EnumSet.noneOf(SensitiveKind.class);
    if (text == null || text.isEmpty()) {
      return kinds;
    }
    // cheap pre-checks keep the common prompt (no '@', few digits) at a few microseconds
    int digits = countDigits(text);
    if (text.indexOf('@') >= 0 && hasEmail(text)) {
      kinds.add(SensitiveKind.EMAIL);
    }
    if (digits >= 7 && hasPhone(text)) {
      kinds.add(SensitiveKind.PHONE);
    }
    if (digits >= 2 && hasIban(text)) {
      kinds.add(SensitiveKind.IBAN);
    }
    if (digits >= 13 && hasCard(text)) {
      kinds.add(SensitiveKind.CREDIT_CARD);
    }
    if (digits >= 9 && hasSsn(text)) {
      kinds.add(SensitiveKind.US_SSN);
    }
    if (digits >= 6 && hasNino(text)) {
      kinds.add(SensitiveKind.UK_NINO);
    }
    if (digits >= 7 && hasSpanishId(text)) {
      kinds.add(SensitiveKind.ES_DNI);
    }
    if (mayHoldApiKey(text) && hasApiKey(text)) {
      kinds.add(SensitiveKind.API_KEY);
    }
    if (text.contains("-----BEGIN ") && PRIVATE_KEY.matcher(text).find()) {
      kinds.add(SensitiveKind.PRIVATE_KEY);
    }
    if (text.contains("eyJ") && hasJwt(text)) {
      kinds.add(SensitiveKind.JWT);
    }
    return kinds;
  }

  private static int countDigits(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }

  private static boolean hasEmail(String text) {
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      String local = m.group(1);
      String tld = m.group(3).toLowerCase(java.util.Locale.ROOT);
      boolean scpRemote = !m.group(4).isEmpty(); // git@github.com:org/repo.git is a host login, not an address
      if (scpRemote || FILE_EXTENSIONS.contains(tld) || CODE_LABELS.contains(local)) {
        continue;
      }
      if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
        continue;
      }
      return true;
    }
    return false;
  }

  private static boolean hasPhone(String text) {
    Matcher m = PHONE_INTERNATIONAL.matcher(text);
    while (m.find()) {
      int n = countDigits(m.group());
      if (n >= 8 && n <= 15) {
        return true;
      }
    }
    return PHONE_NANP.matcher(text).find();
  }

  private static boolean hasCard(String text) {
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      String digits = m.group().replace(" ", "").replace("-", "");
      if (Checksums.paymentCard(digits)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasIban(String text) {
    Matcher m = IBAN.matcher(text);
    while (m.find()) {
      if (Checksums.iban(m.group().replace(" ", ""))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasSsn(String text) {
    Matcher m = SSN.matcher(text);
    while (m.find()) {
      if (Checksums.plausibleSsn(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))) {
        return true;
      }
    }
    Matcher labelled = SSN_LABELLED.matcher(text);
    while (labelled.find()) {
      String d = labelled.group(1);
      if (Checksums.plausibleSsn(
          Integer.parseInt(d.substring(0, 3)), Integer.parseInt(d.substring(3, 5)), Integer.parseInt(d.substring(5)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasNino(String text) {
    Matcher m = UK_NINO.matcher(text);
    while (m.find()) {
      if (!NINO_EXCLUDED_PREFIXES.contains(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasSpanishId(String text) {
    Matcher dni = ES_DNI.matcher(text);
    while (dni.find()) {
      if (Checksums.spanishDni(dni.group(1), dni.group(2).charAt(0))) {
        return true;
      }
    }
    Matcher nie = ES_NIE.matcher(text);
    while (nie.find()) {
      String prefix = String.valueOf("XYZ".indexOf(nie.group(1).charAt(0)));
      if (Checksums.spanishDni(prefix + nie.group(2), nie.group(3).charAt(0))) {
        return true;
      }
    }
    return false;
  }

  private static final String[] API_KEY_PREFIXES = {
    "sk-", "k_live_", "k_test_", "AKIA", "ASIA", "gho_", "ghp_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "AIza"
  };

  private static boolean mayHoldApiKey(String text) {
    for (String prefix : API_KEY_PREFIXES) {
      if (text.contains(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Lower-case words and runs that mark documentation placeholders ("sk-your-key-here",
   * "xoxb-xxxxxxxx"); the AWS documentation key (AKIA…EXAMPLE) is key-shaped and still counts.
   */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("your|here|example|placeholder|redacted|dummy|changeme|replace|token|(.)\\1{5,}");

  /**
   * Key-shaped tokens; placeholders ("sk-your-key-goes-here", "xoxb-xxxxxxxxxxxx") and strings
   * without the mixed case or digits of a random secret are documentation, not secrets.
   */
  private static boolean hasApiKey(String text) {
    Matcher m = API_KEY.matcher(text);
    while (m.find()) {
      String key = m.group();
      // the random part: after the vendor prefix (AKIA, ghp_, sk-proj-, …)
      String secret = key.substring(Math.max(key.lastIndexOf('-'), key.lastIndexOf('_')) + 1);
      if (secret.length() < 8) {
        secret = key.substring(4);
      }
      boolean digits = secret.chars().anyMatch(Character::isDigit);
      boolean upper = secret.chars().anyMatch(Character::isUpperCase);
      boolean lower = secret.chars().anyMatch(Character::isLowerCase);
      boolean random = digits && (upper || lower) || upper && lower;
      if (random && !PLACEHOLDER.matcher(key.substring(4)).find()) {
        return true;
      }
    }
    return false;
  }

  /** Three base64url parts whose first two decode to JSON objects, the header naming an "alg". */
  private static boolean hasJwt(String text) {
    Matcher m = JWT.matcher(text);
    while (m.find()) {
      JsonNode header = decodeJson(m.group(1));
      if (header != null && header.isObject() && header.has("alg")) {
        JsonNode payload = decodeJson(m.group(2));
        if (payload != null && payload.isObject()) {
          return true;
        }
      }
    }
    return false;
  }

  private static JsonNode decodeJson(String base64url) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(base64url);
      return JSON.readTree(raw);
    } catch (IllegalArgumentException | java.io.IOException e) {
      return null; // not base64url or not JSON: not a token
    }
  }
}
