package io.sockethost.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sockethost.core.forking.WorkerLauncher;

class WorkerMainTest {

    /** The launcher names the worker's main class as text, since it may not import this layer. */
    @Test
    @Timeout(10)
    void theLauncherStartsThisClass() {
        assertThat(WorkerLauncher.WORKER_MAIN).isEqualTo(WorkerMain.class.getName());
    }
}
