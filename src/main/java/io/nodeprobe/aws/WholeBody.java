package io.nodeprobe.aws;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body that must be as long as its Content-Length said: an end of stream before that is the connection closing
 * mid-answer, and is reported as such ("the answer ended after 100 of 201 bytes") instead of as a short body.
 */
final class WholeBody extends FilterInputStream {
    private final long expected;
    private long seen;

    WholeBody(InputStream in, long expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            checkWhole();
        } else {
            seen++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
            checkWhole();
        } else {
            seen += n;
        }
        return n;
    }

    /** The body ended early; a type of its own so that it is recognised inside an XML parser's exception. */
    static final class CutShort extends IOException {
        CutShort(String message) {
            super(message);
        }
    }

    private void checkWhole() throws IOException {
        if (seen < expected) {
            throw new CutShort("the connection closed after " + seen + " of the answer's " + expected + " bytes "
                    + "(premature end of file)");
        }
    }
}
