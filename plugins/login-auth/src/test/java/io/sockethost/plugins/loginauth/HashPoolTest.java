package io.sockethost.plugins.loginauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.plugins.loginauth.HashPool.Checked;

/** The host-wide bound on password checks, with checks that block until the test lets them finish. */
@Timeout(60)
class HashPoolTest {
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final CountDownLatch finish = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Queue<Integer> startedWith = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() throws InterruptedException {
        finish.countDown();
        clients.shutdownNow();
        assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runsSizeChecksAtOnceQueuesEightPerSlotAndRefusesTheRestAtOnce() throws Exception {
        HashPool pool = new HashPool();
        pool.limitTo(2, "test");
        List<Future<Checked>> queued = new ArrayList<>();
        for (int i = 0; i < 1 + 2 * HashPool.QUEUE_PER_SLOT; i++) {
            queued.add(clients.submit(() -> pool.check(this::blockedCheck)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 2 && pool.wanting() == queued.size());
        assertThat(pool.saturated()).as("room for one more").isFalse();
        queued.add(clients.submit(() -> pool.check(this::blockedCheck)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.wanting() == queued.size());

        assertThat(pool.saturated()).isTrue();
        assertThat(pool.check(() -> true)).as("one more than the queue holds").isEqualTo(Checked.NOT_RUN);

        finish.countDown();
        for (Future<Checked> answer : queued) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(Checked.MATCH);
        }
        assertThat(peak.get()).isEqualTo(2);
        assertThat(pool.saturated()).isFalse();
        assertThat(pool.check(() -> false)).as("room again").isEqualTo(Checked.NO_MATCH);
    }

    @Test
    void theSmallestSizeAskedForWinsAndAppliesToChecksAlreadyWaiting() throws Exception {
        HashPool pool = new HashPool();
        pool.limitTo(3, "a");
        pool.limitTo(5, "b");
        assertThat(pool.size()).as("a larger request does not raise it").isEqualTo(3);
        List<Future<Checked>> checks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            checks.add(clients.submit(() -> pool.check(this::blockedCheck)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 3 && pool.wanting() == 6);
        pool.limitTo(1, "c");
        finish.countDown();
        for (Future<Checked> answer : checks) {
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(Checked.MATCH);
        }
        assertThat(pool.size()).isEqualTo(1);
        List<Integer> runningAtStart = new ArrayList<>(startedWith);
        assertThat(runningAtStart.subList(3, 6)).as("the three that waited ran alone").containsOnly(1);
    }

    @Test
    void anInterruptedWaitEndsUncheckedAndKeepsTheInterrupt() throws Exception {
        HashPool pool = new HashPool();
        pool.limitTo(1, "test");
        clients.submit(() -> pool.check(this::blockedCheck));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 1);
        AtomicReference<Checked> answer = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            answer.set(pool.check(() -> true));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.wanting() == 2);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(answer.get()).isEqualTo(Checked.NOT_RUN);
        assertThat(interrupted).isTrue();
        assertThat(pool.wanting()).isEqualTo(1);
    }

    /**
     * On Java 21+ callers are virtual threads, which the JVM does not preempt: a check run on them would hold
     * a carrier thread (one per core) for its whole 0.2 s of CPU and stall every other connection of the host.
     */
    @Test
    void checksRunOnThePoolsOwnPlatformThreadsNotTheCallers() throws Exception {
        HashPool pool = new HashPool();
        pool.limitTo(2, "test");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        assertThat(pool.check(() -> {
            ranOn.set(Thread.currentThread());
            return true;
        })).isEqualTo(Checked.MATCH);
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
        assertThat(ranOn.get().getName()).isEqualTo("login-auth-hash");
        assertThat(ranOn.get().isDaemon()).as("never keeps a JVM alive").isTrue();
    }

    @Test
    void aCheckWhoseCallerStoppedWaitingKeepsItsSlotUntilItEnds() throws Exception {
        HashPool pool = new HashPool();
        pool.limitTo(1, "test");
        AtomicReference<Checked> answer = new AtomicReference<>();
        Thread caller = new Thread(() -> answer.set(pool.check(this::blockedCheck)));
        caller.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 1);
        caller.interrupt();
        caller.join(10_000);
        assertThat(answer.get()).isEqualTo(Checked.NOT_RUN);
        Future<Checked> next = clients.submit(() -> pool.check(() -> true));
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !next.isDone());
        assertThat(running.get()).as("the first check still runs, alone").isEqualTo(1);
        finish.countDown();
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(Checked.MATCH);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.wanting() == 0);
    }

    private boolean blockedCheck() {
        int now = running.incrementAndGet();
        startedWith.add(now);
        peak.accumulateAndGet(now, Math::max);
        try {
            return finish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            running.decrementAndGet();
        }
    }
}
