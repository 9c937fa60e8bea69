package dev.homeroom.engine.internal.clever;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a UTF-8 body leniently, so one record with invalid bytes cannot stop the parser in the middle of a page:
 * each malformed sequence becomes U+FFFD, and the character offset where it happened is remembered. The reader of the
 * page asks {@link #malformedBetween} for each record's span and refuses the records that held such bytes, instead of
 * storing text that Clever never meant.
 */
final class Utf8TrackingReader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean eof;
    private boolean flushed;
    /** Characters handed out so far: the offset the parser reports as {@code getCharOffset()}. */
    private long produced;
    private long[] malformed = new long[4];
    private int malformedCount;
    /** A character decoded but not handed out yet (a replacement that did not fit the caller's buffer). */
    private int pending = -1;

    Utf8TrackingReader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        if (pending >= 0) {
            out.put((char) pending);
            pending = -1;
        }
        while (out.hasRemaining()) {
            if (!bytes.hasRemaining() && !eof) {
                fill();
            }
            if (eof && !bytes.hasRemaining()) {
                if (!flushed) {
                    decoder.decode(bytes, out, true);
                    decoder.flush(out);
                    flushed = true;
                }
                break;
            }
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isMalformed() || result.isUnmappable()) {
                bytes.position(bytes.position() + result.length());
                recordMalformed(produced + (out.position() - off));
                if (out.hasRemaining()) {
                    out.put('\uFFFD');
                } else {
                    pending = '\uFFFD';
                }
            } else if (result.isUnderflow()) {
                if (eof) {
                    if (bytes.hasRemaining()) {
                        // an incomplete sequence at the very end
                        recordMalformed(produced + (out.position() - off));
                        bytes.position(bytes.limit());
                        if (out.hasRemaining()) {
                            out.put('\uFFFD');
                        } else {
                            pending = '\uFFFD';
                        }
                    }
                } else {
                    fill();
                }
            } else {
                break; // overflow: the caller's buffer is full
            }
        }
        int n = out.position() - off;
        if (n == 0 && eof && !bytes.hasRemaining() && pending < 0) {
            return -1;
        }
        produced += n;
        return n;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private void recordMalformed(long offset) {
        if (malformedCount == malformed.length) {
            malformed = Arrays.copyOf(malformed, malformed.length * 2);
        }
        malformed[malformedCount++] = offset;
    }

    /** Whether a malformed byte sequence was decoded at a character offset in {@code [from, to)}. */
    boolean malformedBetween(long from, long to) {
        int i = Arrays.binarySearch(malformed, 0, malformedCount, from);
        int at = i >= 0 ? i : -i - 1;
        return at < malformedCount && malformed[at] < to;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
