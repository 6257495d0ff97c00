package io.tiergate.cli.reconcile;

/** A usage export that cannot be read, with the place: {@code file:line:column: what is wrong}. */
public final class InvoiceFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvoiceFileException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
    }
}
