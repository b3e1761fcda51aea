package io.sockethost.core.forking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SharedClassArchiveTest {
    private static final String EXPORTS = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";

    @TempDir
    Path temp;

    @Test
    void workersMapTheArchiveTheHostMapsWithTheHostsModuleOptions() throws Exception {
        Path archive = Files.createFile(temp.resolve("cds-1.jsa"));
        List<String> host = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", EXPORTS,
                "-Xmx1g");
        assertThat(SharedClassArchive.workerOptions(host, List.of()))
                .containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", EXPORTS);
    }

    @Test
    void anAheadOfTimeCacheIsPassedOnTheSameWay() throws Exception {
        Path cache = Files.createFile(temp.resolve("cds-1.aot"));
        assertThat(SharedClassArchive.workerOptions(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", EXPORTS), List.of()))
                .containsExactly("-XX:AOTCache=" + cache, "-Xlog:aot=off", EXPORTS);
    }

    @Test
    void noneWhileTheHostIsStillMakingItOrWhenTheFileIsGone() throws Exception {
        Path archive = temp.resolve("cds-1.jsa");
        assertThat(SharedClassArchive.workerOptions(List.of("-XX:ArchiveClassesAtExit=" + archive, EXPORTS), List.of())).isEmpty();
        assertThat(SharedClassArchive.workerOptions(List.of("-XX:AOTCacheOutput=" + temp.resolve("c.aot"), EXPORTS), List.of()))
                .isEmpty();
        assertThat(SharedClassArchive.workerOptions(List.of("-XX:SharedArchiveFile=" + archive, EXPORTS), List.of())).isEmpty();
        assertThat(SharedClassArchive.workerOptions(List.of(EXPORTS), List.of())).isEmpty();
    }

    @Test
    void noneWhenTheDescriptorChoosesItsOwn() throws Exception {
        Path archive = Files.createFile(temp.resolve("cds-1.jsa"));
        List<String> host = List.of("-XX:SharedArchiveFile=" + archive, EXPORTS);
        assertThat(SharedClassArchive.workerOptions(host, List.of("-Xshare:off"))).isEmpty();
        assertThat(SharedClassArchive.workerOptions(host, List.of("-XX:SharedArchiveFile=/opt/workers.jsa"))).isEmpty();
        assertThat(SharedClassArchive.workerOptions(host, List.of("-XX:AOTCache=/opt/workers.aot"))).isEmpty();
        assertThat(SharedClassArchive.workerOptions(host, List.of("-Xmx64m"))).isNotEmpty();
    }
}
