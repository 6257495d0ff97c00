package io.tiergate.e2e.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The measured figures of a fault run, printed and written to {@code e2e/target/faults-numbers.txt}. */
final class Numbers {

    private final Map<String, String> values = new LinkedHashMap<>();

    synchronized void put(String name, Object value) {
        values.put(name, String.valueOf(value));
        System.out.printf("[faults] %s = %s%n", name, value);
    }

    synchronized void write(Path file) {
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
