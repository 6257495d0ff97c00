package io.tiergate.cli.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CSV file read by RFC 4180: comma-separated fields, fields in double quotes may hold commas,
 * line breaks and doubled quotes ({@code ""}); CRLF or LF line ends; a UTF-8 byte-order mark is
 * ignored; blank lines are skipped. The first record is the header. Every value keeps the line and
 * column it started at, so a bad value is reported as {@code file:line:column}.
 */
public final class CsvTable {

    /** One field of a record, with where it starts in the file (1-based). */
    public record Cell(String text, int line, int column) {}

    /** One data record. */
    public record Row(int line, List<Cell> cells) {}

    private final String source;
    private final List<String> header;
    private final Map<String, Integer> columns = new HashMap<>();
    private final List<Row> rows;

    private CsvTable(String source, List<String> header, List<Row> rows) {
        this.source = source;
        this.header = header;
        this.rows = rows;
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
    }

    /**
     * @param source the file's name, used in error messages
     * @throws InvoiceFileException for an unterminated quote, text after a closing quote, a missing
     *     header, or a record whose field count differs from the header's
     */
    public static CsvTable parse(String source, String text) {
        List<Row> records = new Reader(source, text).records();
        if (records.isEmpty()) {
            throw new InvoiceFileException(source, 1, 1, "the file is empty: a usage export starts with a header line");
        }
        Row head = records.get(0);
        List<String> header = head.cells().stream().map(Cell::text).toList();
        List<Row> data = records.subList(1, records.size());
        for (Row row : data) {
            if (row.cells().size() != header.size()) {
                Cell last = row.cells().get(row.cells().size() - 1);
                throw new InvoiceFileException(
                        source,
                        row.line(),
                        last.column(),
                        "expected " + header.size() + " fields as in the header, found "
                                + row.cells().size());
            }
        }
        return new CsvTable(source, header, List.copyOf(data));
    }

    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Whether the header has this column (case-insensitive). */
    public boolean has(String column) {
        return columns.containsKey(column.toLowerCase(Locale.ROOT));
    }

    /** The cell of {@code column} in {@code row}, if the header has that column. */
    public Optional<Cell> cell(Row row, String column) {
        Integer index = columns.get(column.toLowerCase(Locale.ROOT));
        return index == null ? Optional.empty() : Optional.of(row.cells().get(index));
    }

    /** The cell of a column the format requires (checked against the header before the rows are read). */
    public Cell required(Row row, String column) {
        return cell(row, column)
                .orElseThrow(() -> new InvoiceFileException(source, 1, 1, "no column '" + column + "' in the header"));
    }

    /** The RFC 4180 scanner. */
    private static final class Reader {
        private final String source;
        private final String text;
        private int pos;
        private int line = 1;
        private int column = 1;

        Reader(String source, String text) {
            this.source = source;
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        List<Row> records() {
            List<Row> records = new ArrayList<>();
            while (pos < text.length()) {
                if (atLineEnd()) { // a blank line
                    skipLineEnd();
                    continue;
                }
                int recordLine = line;
                List<Cell> cells = new ArrayList<>();
                while (true) {
                    cells.add(field());
                    if (pos < text.length() && text.charAt(pos) == ',') {
                        advance();
                        continue;
                    }
                    skipLineEnd();
                    break;
                }
                records.add(new Row(recordLine, List.copyOf(cells)));
            }
            return records;
        }

        private Cell field() {
            int startLine = line;
            int startColumn = column;
            if (pos < text.length() && text.charAt(pos) == '"') {
                advance();
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (pos >= text.length()) {
                        throw new InvoiceFileException(
                                source,
                                startLine,
                                startColumn,
                                "a quoted field is not closed before the end of the file");
                    }
                    char c = text.charAt(pos);
                    if (c == '"') {
                        if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                            value.append('"');
                            advance();
                            advance();
                            continue;
                        }
                        advance();
                        break;
                    }
                    value.append(c);
                    advance();
                }
                if (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                    throw new InvoiceFileException(
                            source, line, column, "unexpected '" + text.charAt(pos) + "' after a closing quote");
                }
                return new Cell(value.toString(), startLine, startColumn);
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                if (text.charAt(pos) == '"') {
                    throw new InvoiceFileException(
                            source, line, column, "a quote inside an unquoted field (RFC 4180: quote the whole field)");
                }
                advance();
            }
            return new Cell(text.substring(start, pos), startLine, startColumn);
        }

        private boolean atLineEnd() {
            char c = text.charAt(pos);
            return c == '\n' || c == '\r';
        }

        private void skipLineEnd() {
            if (pos < text.length() && text.charAt(pos) == '\r') {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) == '\n') {
                pos++;
            }
            line++;
            column = 1;
        }

        private void advance() {
            char c = text.charAt(pos++);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }
}
