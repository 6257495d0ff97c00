package io.tiergate.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The services' HTTP API token of the embedded default (docs/security.md, "HTTP endpoints"): the one
 * given, or 32 random bytes; kept in {@code <data dir>/api-token}, readable by its owner only, where
 * the CLI's commands find it.
 */
public final class ApiToken {

    /** The services read it as {@code tiergate.http.api-token}. */
    public static final String ENV = "TIERGATE_HTTP_API_TOKEN";

    /** Its file name in the stack's data dir. */
    public static final String FILE = "api-token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiToken() {}

    /** 32 random bytes, URL-safe Base64 (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code token} to {@code dataDir/api-token}, owner read/write only where the file system allows. */
    public static Path write(Path dataDir, String token) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(file);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the API token to " + file, e);
        }
    }

    /** The token in {@code dataDir/api-token}, if there is one. */
    public static Optional<String> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return Files.isReadable(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                            .filter(t -> !t.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
