package io.tiergate.classifier.classify;

import io.tiergate.classifier.complexity.ComplexityScorer;
import io.tiergate.classifier.config.ClassifierSettings;
import io.tiergate.classifier.sensitive.SensitiveDataDetector;
import io.tiergate.classifier.sensitive.SensitiveKind;
import io.tiergate.classifier.tokens.TokenEstimator;
import io.tiergate.platform.kafka.InvalidInputException;
import io.tiergate.schemas.events.Classification;
import io.tiergate.schemas.events.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the router needs to know about one request, in one call: task type (the upstream hint
 * when valid, else the model), confidence, evidence, input tokens, complexity and sensitive data.
 * Rejects what must not be routed (blank or oversize prompts) with {@link InvalidInputException},
 * which the Kafka path turns into a dead letter and batch mode into an error line. No Kafka types
 * here; thread-safe.
 */
public final class RequestClassifier {

  /** How the task type was decided. */
  public enum Source {
    HINT,
    FAST_MODEL,
    EMBEDDING_MODEL;

    public String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A classification and how its task type was decided (for metrics). */
  public record Result(Classification classification, Source source) {}

  private final ClassifierSettings settings;
  private final TaskClassifier taskClassifier;
  private final TokenEstimator tokens;
  private final SensitiveDataDetector sensitive;
  private final ComplexityScorer complexity;
  private final String version;

  public RequestClassifier(
      ClassifierSettings settings,
      TaskClassifier taskClassifier,
      TokenEstimator tokens,
      SensitiveDataDetector sensitive,
      ComplexityScorer complexity,
      boolean embeddingEnabled) {
    this.settings = settings;
    this.taskClassifier = taskClassifier;
    this.tokens = tokens;
    this.sensitive = sensitive;
    this.complexity = complexity;
    TaskModel model = taskClassifier.model();
    this.version =
        embeddingEnabled
            ? String.format(
                Locale.ROOT, "ngram+%s-logreg/%s threshold=%.2f", model.embedderName(), model.shortId(),
                settings.embeddingThreshold())
            : "ngram-logreg/" + model.shortId() + " embedding=off";
  }

  /**
   * Loads the shipped model (and, when enabled, the MiniLM embedding model: ~1 s) and wires the
   * classifier from plain settings: what both the service and batch mode use.
   */
  public static RequestClassifier create(ClassifierSettings settings) {
    TaskModel model = TaskModel.loadDefault();
    SentenceEmbedder embedder = null;
    if (settings.embeddingEnabled()) {
      embedder = new MiniLmEmbedder(settings.embeddingThreads());
      if (settings.embeddingCacheSize() > 0) {
        embedder = new EmbeddingCache(embedder, settings.embeddingCacheSize());
      }
    }
    return new RequestClassifier(
        settings,
        new TaskClassifier(model, embedder, settings.embeddingThreshold()),
        new TokenEstimator(settings.tokenEncoding()),
        new SensitiveDataDetector(),
        new ComplexityScorer(),
        embedder != null);
  }

  public ClassifierSettings settings() {
    return settings;
  }

  /** What {@code Classification.classifierVersion} says: model, weights id, embedding threshold. */
  public String version() {
    return version;
  }

  /**
   * @param systemPrompt counted in the tokens and searched for sensitive data; may be null
   * @param taskTypeHint may be null; see {@link TaskTypeHint} for what is accepted
   * @throws InvalidInputException for a blank prompt, one above the configured size limits, or one with
   *     control characters or invalid UTF-8
   */
  public Result classify(String prompt, String systemPrompt, String taskTypeHint) {
    if (prompt == null || prompt.isBlank()) {
      throw new InvalidInputException("prompt is empty");
    }
    String system = systemPrompt == null ? "" : systemPrompt;
    rejectUnreadable("prompt", prompt);
    rejectUnreadable("system prompt", system);
    long chars = (long) prompt.length() + system.length();
    if (chars > settings.maxPromptChars()) {
      throw new InvalidInputException(
          "prompt too large: " + chars + " characters (prompt + system prompt), above tiergate.classifier.max-prompt-chars="
              + settings.maxPromptChars());
    }
    int inputTokens = tokens.count(prompt) + tokens.count(system);
    if (inputTokens > settings.maxPromptTokens()) {
      throw new InvalidInputException(
          "prompt too large: " + inputTokens + " " + tokens.encodingName()
              + " tokens (prompt + system prompt), above tiergate.classifier.max-prompt-tokens=" + settings.maxPromptTokens());
    }

    PromptSignals signals = PromptSignals.scan(prompt);
    List<String> evidence = new ArrayList<>(6);
    TaskType type;
    double confidence;
    Source source;
    Optional<TaskType> hinted = TaskTypeHint.parse(taskTypeHint);
    if (hinted.isPresent()) {
      type = hinted.get();
      confidence = 1.0;
      source = Source.HINT;
      evidence.add("hint=" + type);
    } else {
      if (taskTypeHint != null && !taskTypeHint.isBlank()) {
        evidence.add("hint-ignored=" + TaskTypeHint.quoted(taskTypeHint) + " (not a task type)");
      }
      TaskPrediction prediction = taskClassifier.predict(signals);
      type = prediction.taskType();
      confidence = prediction.confidence();
      source = prediction.embeddingUsed() ? Source.EMBEDDING_MODEL : Source.FAST_MODEL;
      evidence.addAll(prediction.evidence());
    }
    ComplexityScorer.Complexity c = complexity.score(signals, inputTokens);
    evidence.add(c.evidence());

    Set<SensitiveKind> found = sensitive.detect(system.isEmpty() ? prompt : prompt + "\n" + system);
    List<String> kinds = found.stream().map(Enum::name).toList(); // kinds only, never the values
    Classification classification =
        Classification.newBuilder()
            .setTaskType(type)
            .setConfidence(Math.round(confidence * 10_000) / 10_000.0)
            .setEvidence(evidence)
            .setEstimatedInputTokens(inputTokens)
            .setTokenEncoding(tokens.encodingName())
            .setComplexity(c.score())
            .setContainsSensitiveData(!found.isEmpty())
            .setSensitiveKinds(kinds)
            .setHintUsed(source == Source.HINT)
            .setClassifierVersion(version)
            .build();
    return new Result(classification, source);
  }

  /**
   * Control characters (other than tab, newline, carriage return) and U+FFFD — what Avro's UTF-8
   * decoding leaves where the producer sent invalid UTF-8 — mean the text is not what its sender
   * wrote: such a request is dead-lettered with the position, never routed.
   */
  static void rejectUnreadable(String what, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFFFD') {
        throw new InvalidInputException(what + " is not valid UTF-8 (replacement character at index " + i + ")");
      }
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        throw new InvalidInputException(String.format("%s contains control character U+%04X at index %d", what, (int) c, i));
      }
    }
  }
}
