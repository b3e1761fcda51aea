package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's buffer: order, timeliness, bounds, close; with a list as the sink. */
@Timeout(60)
class AsyncLogWriterTest {
    private static final AsyncLogWriter.Limits ROOMY = new AsyncLogWriter.Limits(1 << 20, 1 << 19, Duration.ofMillis(200), 5,
            Duration.ofSeconds(10));

    private final List<String> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch unblock = new CountDownLatch(1);
    private AsyncLogWriter<String> writer;

    @AfterEach
    void close() {
        unblock.countDown();
        if (writer != null) {
            writer.close();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::threadEnded);
        }
    }

    private boolean threadEnded() {
        return Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("test-log"));
    }

    private AsyncLogWriter<String> writer(AsyncLogWriter.Limits limits, Consumer<String> sink) {
        writer = new AsyncLogWriter<>("test-log", sink, String::length, limits);
        return writer;
    }

    @Test
    void linesFromManyThreadsArriveEachThreadsInOrderAndNoneLost() throws Exception {
        writer(ROOMY, written::add);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = IntStream.range(0, 4).<Future<?>>mapToObj(t -> threads.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    assertThat(writer.offer(t + ":" + i)).isTrue();
                }
            })).toList();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 4000);
        for (int t = 0; t < 4; t++) {
            String prefix = t + ":";
            assertThat(written.stream().filter(l -> l.startsWith(prefix)).map(l -> Integer.parseInt(l.substring(2))))
                    .as("thread %d's lines", t).isSorted().hasSize(1000);
        }
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aLineIsWrittenWithinASecondWithoutAnyFurtherLine() {
        writer(AsyncLogWriter.Limits.DEFAULT, written::add);
        long offered = System.nanoTime();
        writer.offer("lonely line");
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> !written.isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - offered)).isLessThan(Duration.ofSeconds(1));
        assertThat(written).containsExactly("lonely line");
    }

    @Test
    void aFullBufferDropsAndCountsLinesInsteadOfBlocking() throws Exception {
        CountDownLatch sinkEntered = new CountDownLatch(1);
        // A sink stuck on its first line, like a log file on a full or hung disk.
        writer(new AsyncLogWriter.Limits(100, 50, Duration.ofMillis(50), 5, Duration.ofSeconds(10)), line -> {
            sinkEntered.countDown();
            try {
                unblock.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(line);
        });
        writer.offer("x".repeat(10));
        assertThat(sinkEntered.await(10, TimeUnit.SECONDS)).isTrue();
        int accepted = 0;
        for (int i = 0; i < 50; i++) {
            accepted += writer.offer("y".repeat(10)) ? 1 : 0;
        }
        assertThat(accepted).as("lines of 10 in a buffer of 100").isEqualTo(10);
        assertThat(writer.dropped()).isEqualTo(40);

        unblock.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 11);
        assertThat(writer.offer("after")).as("room again once written").isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.contains("after"));
    }

    @Test
    void closeWritesWhatIsWaitingAtOnceAndRefusesMore() {
        writer(new AsyncLogWriter.Limits(1 << 20, 1 << 19, Duration.ofSeconds(30), 5, Duration.ofSeconds(10)), written::add);
        writer.offer("one");
        writer.offer("two");
        assertThat(written).as("the writer waits for its 30 s interval").isEmpty();
        writer.close();
        assertThat(written).containsExactly("one", "two");
        assertThat(writer.offer("three")).isFalse();
        assertThat(writer.threadRunning()).as("the thread is gone").isFalse();
    }

    @Test
    void anIdleWritersThreadEndsAndANewLineStartsAnother() {
        writer(new AsyncLogWriter.Limits(1 << 20, 1 << 19, Duration.ofMillis(20), 3, Duration.ofSeconds(10)), written::add);
        writer.offer("first");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !writer.threadRunning());
        assertThat(written).containsExactly("first");
        writer.offer("second");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 2);
        assertThat(written).containsExactly("first", "second");
    }

    @Test
    void aSinkThatThrowsDoesNotStopTheLinesAfter() {
        writer(ROOMY, line -> {
            if (line.equals("bad")) {
                throw new IllegalStateException("broken");
            }
            written.add(line);
        });
        writer.offer("bad");
        writer.offer("good");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> written.contains("good"));
    }
}
