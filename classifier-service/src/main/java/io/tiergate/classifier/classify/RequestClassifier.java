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

    /** Tokens the embedding model reads at most (the text is cut to the recipe's characters first). */
    public static final int MAX_EMBEDDING_TOKENS = 128;

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
        this.version = embeddingEnabled
                ? String.format(
                        Locale.ROOT,
                        "ngram+%s-logreg/%s threshold=%.2f margin=%.2f",
                        model.embedderName(),
                        model.shortId(),
                        settings.embeddingThreshold(),
                        settings.uncertaintyMargin())
                : String.format(
                        Locale.ROOT,
                        "ngram-logreg/%s embedding=off margin=%.2f",
                        model.shortId(),
                        settings.uncertaintyMargin());
    }

    /**
     * Loads the shipped model (and, when enabled, the sentence-embedding model it was trained with:
     * about a second) and wires the classifier from plain settings: what both the service and batch
     * mode use.
     */
    public static RequestClassifier create(ClassifierSettings settings) {
        TaskModel model = TaskModel.loadDefault();
        SentenceEmbedder embedder = null;
        if (settings.embeddingEnabled()) {
            embedder = Embedders.named(model.embedderName(), settings.embeddingThreads(), MAX_EMBEDDING_TOKENS);
            if (settings.embeddingCacheSize() > 0) {
                embedder = new EmbeddingCache(embedder, settings.embeddingCacheSize());
            }
        }
        return new RequestClassifier(
                settings,
                new TaskClassifier(model, embedder, settings.embeddingThreshold(), settings.uncertaintyMargin()),
                new TokenEstimator(settings.tokenEncoding()),
                new SensitiveDataDetector(),
                new ComplexityScorer(),
                embedder != null);
    }

    /**
     * The classifier's sentence model (the shadow judges compare prose with it: docs/calibration.md,
     * "Judges"); empty when embedding is off.
     */
    public Optional<SentenceEmbedder> embedder() {
        return taskClassifier.embedder();
    }

    public ClassifierSettings settings() {
        return settings;
    }

    /** What {@code Classification.classifierVersion} says: model, weights id, embedding threshold. */
    public String version() {
        return version;
    }

    /**
     * A request that passed the checks and was scanned (tokens, signals, complexity, sensitive data),
     * waiting for the task model; made by {@link #prepare}, finished by {@link #complete}.
     */
    public static final class Prepared {
        private final PromptSignals signals;
        private final Optional<TaskType> hinted;
        private final String ignoredHint;
        private final int inputTokens;
        private final ComplexityScorer.Complexity complexity;
        private final List<String> sensitiveKinds;

        private Prepared(
                PromptSignals signals,
                Optional<TaskType> hinted,
                String ignoredHint,
                int inputTokens,
                ComplexityScorer.Complexity complexity,
                List<String> sensitiveKinds) {
            this.signals = signals;
            this.hinted = hinted;
            this.ignoredHint = ignoredHint;
            this.inputTokens = inputTokens;
            this.complexity = complexity;
            this.sensitiveKinds = sensitiveKinds;
        }
    }

    /**
     * Classifies one request; {@link #prepare} then {@link #complete} of a batch of one.
     *
     * @throws InvalidInputException as {@link #prepare}
     */
    public Result classify(String prompt, String systemPrompt, String taskTypeHint) {
        return complete(List.of(prepare(prompt, systemPrompt, taskTypeHint))).get(0);
    }

    /**
     * Checks one request and does its per-request work: tokens, structural signals, complexity and
     * sensitive data.
     *
     * @param systemPrompt counted in the tokens and searched for sensitive data; may be null
     * @param taskTypeHint may be null; see {@link TaskTypeHint} for what is accepted
     * @throws InvalidInputException for a blank prompt, one above the configured size limits, or one with
     *     control characters or invalid UTF-8
     */
    public Prepared prepare(String prompt, String systemPrompt, String taskTypeHint) {
        return prepare(prompt, systemPrompt, taskTypeHint, ChatText.NONE);
    }

    /**
     * {@link #prepare(String, String, String)} for a chat: the task type is read from the latest user
     * turn (what is being asked now; earlier turns are context), while tokens, complexity's size and
     * sensitive data cover the whole conversation ({@code prompt} holds it flattened) and
     * {@code chat}'s extra text (tool calls, turns the flattened prompt left out).
     */
    public Prepared prepare(String prompt, String systemPrompt, String taskTypeHint, ChatText chat) {
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidInputException("prompt is empty");
        }
        String system = systemPrompt == null ? "" : systemPrompt;
        rejectUnreadable("prompt", prompt);
        rejectUnreadable("system prompt", system);
        long chars = (long) prompt.length() + system.length();
        if (chars > settings.maxPromptChars()) {
            throw new InvalidInputException("prompt too large: " + chars
                    + " characters (prompt + system prompt), above tiergate.classifier.max-prompt-chars="
                    + settings.maxPromptChars());
        }
        int inputTokens = tokens.count(prompt) + tokens.count(system);
        if (inputTokens > settings.maxPromptTokens()) {
            throw new InvalidInputException("prompt too large: " + inputTokens + " " + tokens.encodingName()
                    + " tokens (prompt + system prompt), above tiergate.classifier.max-prompt-tokens="
                    + settings.maxPromptTokens());
        }
        PromptSignals signals = PromptSignals.scan(chat.latestUserTurn().orElse(prompt));
        Optional<TaskType> hinted = TaskTypeHint.parse(taskTypeHint);
        String ignoredHint = hinted.isEmpty() && taskTypeHint != null && !taskTypeHint.isBlank() ? taskTypeHint : null;
        String scanned = system.isEmpty() ? prompt : prompt + "\n" + system;
        Set<SensitiveKind> found =
                sensitive.detect(chat.extraText().isEmpty() ? scanned : scanned + "\n" + chat.extraText());
        List<String> kinds = found.stream().map(Enum::name).toList(); // kinds only, never the values
        return new Prepared(signals, hinted, ignoredHint, inputTokens, complexity.score(signals, inputTokens), kinds);
    }

    /**
     * The classifications of prepared requests, in order: the task model runs once over the batch
     * (the prompts that need the sentence embedding are embedded in one call).
     */
    public List<Result> complete(List<Prepared> batch) {
        List<Prepared> modelled = batch.stream().filter(p -> p.hinted.isEmpty()).toList();
        List<TaskPrediction> predictions =
                taskClassifier.predictAll(modelled.stream().map(p -> p.signals).toList());
        List<Result> out = new ArrayList<>(batch.size());
        int next = 0;
        for (Prepared p : batch) {
            List<String> evidence = new ArrayList<>(6);
            TaskType type;
            double confidence;
            Source source;
            if (p.hinted.isPresent()) {
                type = p.hinted.get();
                confidence = 1.0;
                source = Source.HINT;
                evidence.add("hint=" + type);
            } else {
                if (p.ignoredHint != null) {
                    evidence.add("hint-ignored=" + TaskTypeHint.quoted(p.ignoredHint) + " (not a task type)");
                }
                TaskPrediction prediction = predictions.get(next++);
                type = prediction.taskType();
                confidence = prediction.confidence();
                source = prediction.embeddingUsed() ? Source.EMBEDDING_MODEL : Source.FAST_MODEL;
                evidence.addAll(prediction.evidence());
            }
            evidence.add(p.complexity.evidence());
            Classification classification = Classification.newBuilder()
                    .setTaskType(type)
                    .setConfidence(Math.round(confidence * 10_000) / 10_000.0)
                    .setEvidence(evidence)
                    .setEstimatedInputTokens(p.inputTokens)
                    .setTokenEncoding(tokens.encodingName())
                    .setComplexity(p.complexity.score())
                    .setContainsSensitiveData(!p.sensitiveKinds.isEmpty())
                    .setSensitiveKinds(p.sensitiveKinds)
                    .setHintUsed(source == Source.HINT)
                    .setClassifierVersion(version)
                    .build();
            out.add(new Result(classification, source));
        }
        return out;
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
                throw new InvalidInputException(
                        what + " is not valid UTF-8 (replacement character at index " + i + ")");
            }
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new InvalidInputException(
                        String.format("%s contains control character U+%04X at index %d", what, (int) c, i));
            }
        }
    }
}
