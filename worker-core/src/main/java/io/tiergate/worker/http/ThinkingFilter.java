package io.tiergate.worker.http;

import io.tiergate.worker.backend.ChunkSink;

/**
 * A streamed answer without its {@code <think>…</think>} blocks, as {@link WireJson#withoutThinking}
 * removes them from the whole answer of a local server: text inside a block is dropped, and so is
 * the whitespace right after one. A tag split across pieces is held back until it is known not to
 * be one ({@link #flush()} at the end of the stream hands on what is held).
 */
public final class ThinkingFilter implements ChunkSink {

    private static final String OPEN = "<think>";
    private static final String CLOSE = "</think>";

    private final ChunkSink next;
    private String held = "";
    private boolean thinking;
    private boolean afterBlock;

    public ThinkingFilter(ChunkSink next) {
        this.next = next;
    }

    @Override
    public void text(String piece) {
        String buf = held + piece;
        held = "";
        while (true) {
            String tag = thinking ? CLOSE : OPEN;
            int at = buf.indexOf(tag);
            if (at >= 0) {
                if (!thinking) {
                    emit(buf.substring(0, at));
                } else {
                    afterBlock = true;
                }
                buf = buf.substring(at + tag.length());
                thinking = !thinking;
                continue;
            }
            int keep = partialTagAtEnd(buf, tag);
            if (!thinking) {
                emit(buf.substring(0, buf.length() - keep));
            }
            held = buf.substring(buf.length() - keep);
            return;
        }
    }

    /** The end of the stream: what was held back as a possible tag is text after all. */
    public void flush() {
        if (!thinking) {
            emit(held);
        }
        held = "";
    }

    private void emit(String text) {
        String out = afterBlock ? text.stripLeading() : text;
        if (out.isEmpty()) {
            return;
        }
        afterBlock = false;
        next.text(out);
    }

    /** The length of the longest end of {@code buf} that begins {@code tag}. */
    private static int partialTagAtEnd(String buf, String tag) {
        for (int n = Math.min(tag.length() - 1, buf.length()); n > 0; n--) {
            if (buf.endsWith(tag.substring(0, n))) {
                return n;
            }
        }
        return 0;
    }
}
