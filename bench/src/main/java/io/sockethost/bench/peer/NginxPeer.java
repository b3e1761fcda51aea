package io.sockethost.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import io.sockethost.bench.Environment;

/**
 * nginx with one worker process serving the document root: access log off, sendfile and TCP_NODELAY on,
 * unlimited keep-alive requests, every path under the run's folder so that no root rights are needed.
 */
public record NginxPeer() implements Peer {
    @Override
    public String id() {
        return "nginx";
    }

    @Override
    public String name() {
        return "nginx, 1 worker";
    }

    @Override
    public Kind kind() {
        return Kind.PEER;
    }

    @Override
    public Optional<String> unavailable(Environment env, Service service) {
        if (service != Service.HTTP_FILE && service != Service.HTTPS_FILE) {
            return Optional.of("nginx serves HTTP only here");
        }
        if (env.nginx().isEmpty()) {
            return Optional.of("nginx is not installed (apt-get install nginx); its row is skipped");
        }
        return service == Service.HTTPS_FILE ? BenchCertificate.unavailable() : Optional.empty();
    }

    @Override
    public Launch prepare(Environment env, Service service, int port, Path dir) throws IOException {
        String listen = "    listen 127.0.0.1:" + port + " backlog=128;";
        if (service == Service.HTTPS_FILE) {
            // as sockethost's tls block: TLS 1.3 and 1.2, the same certificate, nginx's default ciphers
            BenchCertificate certificate = BenchCertificate.of(env);
            listen = "    listen 127.0.0.1:" + port + " ssl backlog=128;\n    ssl_protocols TLSv1.2 TLSv1.3;\n"
                    + "    ssl_certificate " + certificate.certificate() + ";\n    ssl_certificate_key "
                    + certificate.privateKey() + ";";
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path temp = Files.createDirectories(dir.resolve("temp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
                "worker_processes 1;",
                "daemon off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events { worker_connections 4096; }",
                "http {",
                "  access_log off;",
                "  sendfile on;",
                "  tcp_nodelay on;",
                "  keepalive_requests 100000000;",
                "  keepalive_timeout 65;",
                "  default_type text/plain;",
                "  client_body_temp_path " + temp.resolve("body") + ";",
                "  proxy_temp_path " + temp.resolve("proxy") + ";",
                "  fastcgi_temp_path " + temp.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + temp.resolve("uwsgi") + ";",
                "  scgi_temp_path " + temp.resolve("scgi") + ";",
                "  server {",
                listen,
                "    root " + env.docRoot() + ";",
                "  }",
                "}", ""));
        // -e: the error log before the configuration is read (the default, under /var/log, needs root)
        return new Launch(List.of(env.nginx().orElseThrow().toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()), dir);
    }
}
