package io.sockethost.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.sockethost.core.events.ServerEvents;

/**
 * A connection's raw streams, reporting the bytes that pass to {@link ServerEvents}. They sit under the
 * connection's buffers, so they are called once per refill or flush, not per byte. Owned by the thread that
 * serves the connection, as the streams they wrap.
 */
final class CountingStreams {
    private CountingStreams() {
    }

    /** Counts what is read into {@link ServerEvents#bytesIn}. */
    static final class Input extends InputStream {
        private final InputStream in;
        private final ServerEvents events;

        Input(InputStream in, ServerEvents events) {
            this.in = in;
            this.events = events;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                events.bytesIn(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                events.bytesIn(n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Counts what is written into {@link ServerEvents#bytesOut}. */
    static final class Output extends OutputStream {
        private final OutputStream out;
        private final ServerEvents events;

        Output(OutputStream out, ServerEvents events) {
            this.out = out;
            this.events = events;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            events.bytesOut(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            events.bytesOut(len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
