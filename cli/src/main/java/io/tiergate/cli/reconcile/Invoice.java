package io.tiergate.cli.reconcile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A provider's usage export, read and checked: its format and its rows. */
public record Invoice(Path file, InvoiceFormat format, List<InvoiceRow> rows) {

    /**
     * Reads {@code file} as UTF-8 CSV in {@code format}, or the format its header shows.
     *
     * @throws InvoiceFileException naming the file, line and column of the first problem
     */
    public static Invoice read(Path file, Optional<InvoiceFormat> format) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new InvoiceFileException(file.toString(), 1, 1, "no such file");
        } catch (CharacterCodingException e) {
            throw new InvoiceFileException(file.toString(), 1, 1, "not UTF-8 text");
        } catch (IOException e) {
            throw new InvoiceFileException(file.toString(), 1, 1, "cannot be read: " + e.getMessage());
        }
        return parse(file, text, format);
    }

    /** Parses {@code text} as the content of {@code file}. */
    public static Invoice parse(Path file, String text, Optional<InvoiceFormat> format) {
        CsvTable table = CsvTable.parse(file.toString(), text);
        InvoiceFormat actual = format.orElseGet(() -> InvoiceFormat.detect(table));
        return new Invoice(file, actual, actual.read(table));
    }
}
