package io.sockethost.plugins.httplite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sockethost.api.SockethostException;
import io.sockethost.plugins.httplite.DocumentRoot.Resource;

class DocumentRootTest {
    @TempDir
    Path temp;
    private Path www;
    private DocumentRoot root;

    @BeforeEach
    void site() throws Exception {
        www = Files.createDirectories(temp.resolve("www"));
        Files.writeString(www.resolve("a.txt"), "a");
        Files.createDirectories(www.resolve("sub"));
        Files.writeString(www.resolve("sub/b.txt"), "b");
        Files.writeString(temp.resolve("secret.txt"), "secret");
        Files.createDirectories(temp.resolve("www-private"));
        Files.writeString(temp.resolve("www-private/key"), "key");
        Files.createSymbolicLink(www.resolve("inside-link.txt"), www.resolve("a.txt"));
        Files.createSymbolicLink(www.resolve("relative-inside"), Path.of("sub"));
        Files.createSymbolicLink(www.resolve("out-file"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(www.resolve("out-dir"), temp);
        Files.createSymbolicLink(www.resolve("out-relative"), Path.of("../www-private"));
        Files.createSymbolicLink(www.resolve("dangling"), temp.resolve("nothing"));
        root = DocumentRoot.open(www.toString(), temp, "test");
    }

    @Test
    void findsFilesFoldersAndLinksThatStayInside() {
        assertThat(root.find(List.of())).isEqualTo(new Resource.Folder(root.path()));
        assertThat(root.find(List.of("a.txt"))).isInstanceOf(Resource.RegularFile.class);
        assertThat(root.find(List.of("sub"))).isInstanceOf(Resource.Folder.class);
        assertThat(root.find(List.of("inside-link.txt"))).isInstanceOf(Resource.RegularFile.class);
        assertThat(root.find(List.of("relative-inside"))).isInstanceOf(Resource.Folder.class);
        assertThat(((Resource.RegularFile) root.find(List.of("relative-inside", "b.txt"))).path())
                .isEqualTo(root.path().resolve("sub/b.txt"));
        Resource.Folder sub = (Resource.Folder) root.find(List.of("sub"));
        assertThat(root.entry(sub.path(), "b.txt")).isInstanceOf(Resource.RegularFile.class);
        assertThat(root.entry(root.path(), "out-file")).isEqualTo(Resource.MISSING);
    }

    @Test
    void linksLeavingTheRootAreMissingLikeAbsentFiles() {
        assertThat(root.find(List.of("out-file"))).isEqualTo(Resource.MISSING);
        assertThat(root.find(List.of("out-dir"))).isEqualTo(Resource.MISSING);
        assertThat(root.find(List.of("out-dir", "secret.txt"))).isEqualTo(Resource.MISSING);
        assertThat(root.find(List.of("out-relative", "key"))).isEqualTo(Resource.MISSING);
        assertThat(root.find(List.of("dangling"))).isEqualTo(Resource.MISSING);
        assertThat(root.find(List.of("nope.txt"))).isEqualTo(Resource.MISSING);
        assertThat(root.find(List.of("a.txt", "x"))).isEqualTo(Resource.MISSING);
    }

    @Test
    void aRootThatIsNotAFolderIsAClearError() {
        assertThatThrownBy(() -> DocumentRoot.open(temp.resolve("none").toString(), temp, "web"))
                .isInstanceOf(SockethostException.class).hasMessageContaining("server web").hasMessageContaining("none");
        assertThatThrownBy(() -> DocumentRoot.open(temp.resolve("secret.txt").toString(), temp, "web"))
                .isInstanceOf(SockethostException.class).hasMessageContaining("not a folder");
    }

    @Test
    void aRelativeRootResolvesAgainstTheInstallationFolder() throws Exception {
        assertThat(DocumentRoot.open("www", temp, "web").path()).isEqualTo(temp.resolve("www").toRealPath());
    }
}
