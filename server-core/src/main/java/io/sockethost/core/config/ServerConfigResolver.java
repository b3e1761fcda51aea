package io.sockethost.core.config;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sockethost.api.Transport;
import io.sockethost.core.config.ServerDeclaration.ConcurrencyDeclaration;
import io.sockethost.core.config.ServerDeclaration.ProxyProtocolDeclaration;
import io.sockethost.core.config.ServerDeclaration.VerifyDeclaration;

/**
 * Turns the plugins' server declarations and the operator's override files into the effective server
 * configurations: merges each override onto its server field by field (RFC 7386 merge patch), adds the
 * servers an override declares, applies defaults, validates every value and checks that no two enabled
 * servers share an address. Every problem is collected, each naming the file that holds the faulty value
 * (the override if it set that field, else the plugin's descriptor), its JSON path and what is allowed.
 */
public final class ServerConfigResolver {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Options that would change what a forking worker runs. */
    static final Set<String> LAUNCH_OPTIONS = Set.of("-cp", "-classpath", "--class-path", "-jar", "-m", "--module");

    private final Path baseDir;
    private final Set<String> knownPlugins;
    private final PluginCheck pluginCheck;
    private java.util.function.UnaryOperator<ServerConfig> adjustment = java.util.function.UnaryOperator.identity();
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final List<SkippedServer> skipped = new ArrayList<>();

    /**
     * A server that an override names but no loaded plugin declares: its plugin is missing or was skipped,
     * or the name is misspelt. The host starts the others without it; {@code check} reports it.
     *
     * @param name the server's name
     * @param pluginId the plugin it was to come from when the override says ({@code "plugin"}), else {@code null}
     * @param problem where it is named and why it cannot start
     */
    public record SkippedServer(String name, String pluginId, ConfigProblem problem) {
    }

    /**
     * @param baseDir relative Unix socket paths resolve against it (the host's home)
     * @param knownPlugins ids of the plugins that loaded, for servers an override adds
     */
    public ServerConfigResolver(Path baseDir, Set<String> knownPlugins, PluginCheck pluginCheck) {
        this.baseDir = baseDir;
        this.knownPlugins = Set.copyOf(knownPlugins);
        this.pluginCheck = pluginCheck;
    }

    /** @return what the plugins' checks reported as worth knowing but not wrong, after {@link #resolve} */
    public List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    /** @return the servers left out because no loaded plugin declares them, after {@link #resolve} */
    public List<SkippedServer> skipped() {
        return List.copyOf(skipped);
    }

    /**
     * Rewrites every resolved server before the address clash check; the test kit uses it to move servers
     * to ephemeral ports.
     */
    public ServerConfigResolver adjustingEach(java.util.function.UnaryOperator<ServerConfig> adjustment) {
        this.adjustment = adjustment;
        return this;
    }

    /**
     * Checks what only the plugins can: that the classes a server names exist in its plugin with the right
     * shape, and that its {@code settings} bind to the type the plugin declares and pass the plugin's own
     * validation. Runs for every server, also one with other problems, so that all are reported at once.
     */
    @FunctionalInterface
    public interface PluginCheck {
        /** Accepts everything: for reading configuration without loaded plugins. */
        PluginCheck NONE = (server, problems) -> { };

        /**
         * @param server the server as resolved so far; a field whose value was invalid holds its default,
         *     or {@code null} for the address
         */
        void check(ServerConfig server, Problems problems);

        /** Where a check reports, with paths relative to the server block, e.g. {@code settings.root}. */
        interface Problems {
            void error(String field, String message);

            void warning(String field, String message);
        }
    }

    /** One server while it is being resolved: where it came from and which overrides touched it. */
    private static final class Draft {
        final String name;
        final String pluginId;
        final String baseFile;
        final String basePath;
        JsonNode node;
        final List<Map.Entry<String, JsonNode>> patches = new ArrayList<>();
        /** The override file that added this server, or null for a server a plugin declares. */
        String addedBy;

        Draft(String name, String pluginId, String baseFile, String basePath, JsonNode node) {
            this.name = name;
            this.pluginId = pluginId;
            this.baseFile = baseFile;
            this.basePath = basePath;
            this.node = node;
        }

        /** The file and full JSON path of a field (given relative to the server block). */
        ConfigProblem problem(String field, String message) {
            String head = field.split("[.\\[]", 2)[0];
            for (int i = patches.size() - 1; i >= 0; i--) {
                Map.Entry<String, JsonNode> patch = patches.get(i);
                if (head.isEmpty() || patch.getValue().has(head)) {
                    return new ConfigProblem(patch.getKey(), StrictJson.join("servers." + name, field), message);
                }
            }
            if (addedBy != null) {
                return new ConfigProblem(addedBy, StrictJson.join("servers." + name, field), message);
            }
            return new ConfigProblem(baseFile, StrictJson.join(basePath, field), message);
        }
    }

    public List<ServerConfig> resolve(List<PluginServers> plugins, List<OverrideFile> overrides) throws ConfigException {
        Map<String, Draft> drafts = new LinkedHashMap<>();
        for (PluginServers plugin : plugins) {
            declare(plugin, drafts);
        }
        for (OverrideFile override : overrides) {
            for (Map.Entry<String, JsonNode> entry : override.servers().entrySet()) {
                applyOverride(override.file(), entry.getKey(), entry.getValue(), drafts);
            }
        }
        List<ServerConfig> result = new ArrayList<>();
        for (Draft draft : drafts.values()) {
            ServerConfig config = build(draft);
            if (config != null) {
                result.add(adjustment.apply(config));
            }
        }
        checkAddressClashes(result, drafts);
        if (!problems.isEmpty()) {
            // the configuration must be fixed anyway: say everything, the skipped servers too
            List<ConfigProblem> all = new ArrayList<>(problems);
            skipped.forEach(s -> all.add(s.problem()));
            throw new ConfigException(all);
        }
        return result;
    }

    private void declare(PluginServers plugin, Map<String, Draft> drafts) {
        JsonNode servers = plugin.servers();
        if (servers == null || servers.isMissingNode() || servers.isNull()) {
            return;
        }
        if (!servers.isArray()) {
            problems.add(new ConfigProblem(plugin.file(), "servers", "expected an array of server objects"));
            return;
        }
        for (int i = 0; i < servers.size(); i++) {
            JsonNode server = servers.get(i);
            String path = "servers[" + i + "]";
            if (!server.isObject()) {
                problems.add(new ConfigProblem(plugin.file(), path, "expected a server object"));
                continue;
            }
            JsonNode nameNode = server.get("name");
            if (nameNode == null || !nameNode.isTextual() || !NAME.matcher(nameNode.asText()).matches()) {
                problems.add(new ConfigProblem(plugin.file(), path + ".name", "missing or invalid; allowed: 1-64 letters, "
                        + "digits, '.', '_' or '-', starting with a letter or digit"));
                continue;
            }
            String name = nameNode.asText();
            Draft existing = drafts.get(name);
            if (existing != null) {
                problems.add(new ConfigProblem(plugin.file(), path + ".name", "server name \"" + name
                        + "\" is already declared in " + existing.baseFile + "; server names must be unique in the host"));
                continue;
            }
            if (server.has("plugin") || server.has("from")) {
                problems.add(new ConfigProblem(plugin.file(), path, "\"plugin\" and \"from\" are only allowed in "
                        + "override files; a descriptor's servers belong to its own plugin"));
                continue;
            }
            drafts.put(name, new Draft(name, plugin.pluginId(), plugin.file(), path, server));
        }
    }

    private void applyOverride(String file, String name, JsonNode patch, Map<String, Draft> drafts) {
        String path = "servers." + name;
        if (!patch.isObject()) {
            problems.add(new ConfigProblem(file, path, "expected an object of fields to override"));
            return;
        }
        if (patch.has("name")) {
            problems.add(new ConfigProblem(file, path + ".name", "not allowed here: the key \"" + name
                    + "\" is the server's name"));
            return;
        }
        Draft draft = drafts.get(name);
        ObjectNode body = ((ObjectNode) patch).deepCopy();
        JsonNode from = body.remove("from");
        JsonNode plugin = body.remove("plugin");
        if (draft != null) {
            if (from != null || plugin != null) {
                problems.add(new ConfigProblem(file, path, "\"from\" and \"plugin\" only add new servers; \"" + name
                        + "\" already exists (declared in " + draft.baseFile + ")"));
                return;
            }
            draft.node = StrictJson.mergePatch(draft.node, body);
            draft.patches.add(Map.entry(file, body));
            return;
        }
        if (!NAME.matcher(name).matches()) {
            problems.add(new ConfigProblem(file, path, "invalid server name; allowed: 1-64 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit"));
            return;
        }
        Draft added;
        if (from != null) {
            Draft template = from.isTextual() ? drafts.get(from.asText()) : null;
            if (template == null && from.isTextual() && isSkipped(from.asText())) {
                skip(name, null, new ConfigProblem(file, path + ".from", "server \"" + from.asText()
                        + "\" to copy is not started: no loaded plugin declares it"));
                return;
            }
            if (template == null) {
                problems.add(new ConfigProblem(file, path + ".from", "no server named " + from + " to copy; known servers: "
                        + String.join(", ", drafts.keySet())));
                return;
            }
            ObjectNode copy = ((ObjectNode) template.node).deepCopy();
            copy.put("name", name);
            added = new Draft(name, template.pluginId, template.baseFile, template.basePath, copy);
            added.patches.addAll(template.patches);
        } else if (plugin != null) {
            if (plugin.isTextual() && !knownPlugins.contains(plugin.asText())) {
                skip(name, plugin.asText(), new ConfigProblem(file, path + ".plugin", "no loaded plugin " + plugin
                        + "; loaded plugins: " + String.join(", ", knownPlugins.stream().sorted().toList())));
                return;
            }
            if (!plugin.isTextual()) {
                problems.add(new ConfigProblem(file, path + ".plugin", "no loaded plugin " + plugin + "; loaded plugins: "
                        + String.join(", ", knownPlugins.stream().sorted().toList())));
                return;
            }
            ObjectNode empty = StrictJson.MAPPER.createObjectNode().put("name", name);
            added = new Draft(name, plugin.asText(), file, path, empty);
        } else {
            // A server of a plugin that is missing or skipped (a conf file kept after its jar was removed) is
            // left out, so that the others still start; a misspelt name looks the same, so check reports it.
            skip(name, null, new ConfigProblem(file, path, "no loaded plugin declares a server named \"" + name
                    + "\"; to change one use a known name (" + String.join(", ", drafts.keySet()) + "); to add one give "
                    + "\"from\": an existing server, or \"plugin\" and \"handler\""));
            return;
        }
        added.addedBy = file;
        added.node = StrictJson.mergePatch(added.node, body);
        added.patches.add(Map.entry(file, body));
        drafts.put(name, added);
    }

    private boolean isSkipped(String name) {
        return skipped.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Later override files may name a skipped server again: it is reported once. */
    private void skip(String name, String pluginId, ConfigProblem problem) {
        if (!isSkipped(name)) {
            skipped.add(new SkippedServer(name, pluginId, problem));
        }
    }

    private ServerConfig build(Draft draft) {
        int before = problems.size();
        RecordBinder.Problems report = (field, message) -> problems.add(draft.problem(field, message));
        JsonNode node = draft.node.deepCopy();
        TlsBlock.rejectInlinePasswords(node, report);
        ServerDeclaration d = RecordBinder.bind(node, ServerDeclaration.class, "", Set.of(), report);
        if (d == null) {
            return null;
        }
        String handler = d.handler();
        if (handler == null || handler.isBlank()) {
            problems.add(draft.problem("handler", "missing; give the handler's fully qualified class name"));
        }
        Transport transport = Transport.TCP;
        if (d.transport() != null) {
            try {
                transport = Transport.fromDescriptorName(d.transport());
            } catch (IllegalArgumentException e) {
                problems.add(draft.problem("transport", e.getMessage()));
            }
        }
        SocketAddress address = null;
        if (d.address() == null) {
            problems.add(draft.problem("address", "missing; give host:port for tcp/udp or a socket path for unix transports"));
        } else {
            try {
                address = Addresses.parse(transport, d.address(), baseDir);
            } catch (IllegalArgumentException e) {
                problems.add(draft.problem("address", e.getMessage()));
            }
        }
        ConcurrencyConfig concurrency = concurrency(draft, d.concurrency());
        Duration timeout = seconds(draft, "timeout", d.timeout(), true);
        Duration readTimeout = seconds(draft, "readTimeout", d.readTimeout(), true);
        Duration writeTimeout = seconds(draft, "writeTimeout", d.writeTimeout(), true);
        Duration pollInterval = d.pollInterval() == null ? ServerDefaults.POLL_INTERVAL
                : seconds(draft, "pollInterval", d.pollInterval(), false);
        if (pollInterval == null) {
            pollInterval = ServerDefaults.POLL_INTERVAL;
        }
        int backlog = range(draft, "requestQueueSize", d.requestQueueSize(), ServerDefaults.REQUEST_QUEUE_SIZE, 1, 65535);
        int maxPacket = range(draft, "maxPacketSize", d.maxPacketSize(), ServerDefaults.MAX_PACKET_SIZE, 1, 65507);
        String socketMode = d.socketMode() == null ? ServerDefaults.SOCKET_MODE : d.socketMode();
        if (!socketMode.matches("0?[0-7]{3}")) {
            problems.add(draft.problem("socketMode", "\"" + socketMode + "\" is not a file mode; allowed: octal digits such as "
                    + "\"0660\" or \"0600\""));
        }
        ClientRules rules = rules(draft, d.verify(), concurrency);
        TlsConfig tls = TlsBlock.resolve(d.tls(), transport, baseDir, report);
        ProxyProtocolConfig proxyProtocol = proxyProtocol(draft, d.proxyProtocol(), transport);
        JsonNode settings = d.settings() == null ? StrictJson.MAPPER.createObjectNode() : d.settings();
        if (!settings.isObject()) {
            problems.add(draft.problem("settings", "expected an object"));
            settings = StrictJson.MAPPER.createObjectNode();
        }
        ServerConfig config = new ServerConfig(draft.name, draft.pluginId, handler == null ? null : handler.trim(), transport,
                address, d.enabled() == null ? ServerDefaults.ENABLED : d.enabled(), concurrency, timeout, readTimeout,
                writeTimeout, pollInterval, backlog,
                d.allowReuseAddress() == null ? ServerDefaults.allowReuseAddress(transport) : d.allowReuseAddress(),
                d.reusePort() == null ? ServerDefaults.REUSE_PORT : d.reusePort(),
                d.noDelay() == null ? ServerDefaults.NO_DELAY : d.noDelay(), maxPacket,
                socketMode.length() == 3 ? "0" + socketMode : socketMode, rules, proxyProtocol, trimmed(d.hooks()),
                trimmed(d.lifecycle()), settings, draft.baseFile, baseDir.toAbsolutePath().normalize(), tls);
        if (config.handlerClass() != null && !config.handlerClass().isEmpty()) {
            pluginCheck.check(config, new PluginCheck.Problems() {
                @Override
                public void error(String field, String message) {
                    problems.add(draft.problem(field, message));
                }

                @Override
                public void warning(String field, String message) {
                    warnings.add(draft.problem(field, message));
                }
            });
        }
        return problems.size() > before ? null : config;
    }

    private static String trimmed(String className) {
        return className == null ? null : className.trim();
    }

    private ConcurrencyConfig concurrency(Draft draft, ConcurrencyDeclaration c) {
        ConcurrencyDeclaration d = c != null ? c
                : new ConcurrencyDeclaration(null, null, null, null, null, null, null, null, null, null);
        ConcurrencyMode mode = ServerDefaults.MODE;
        if (d.mode() != null) {
            try {
                mode = ConcurrencyMode.valueOf(d.mode().toUpperCase(java.util.Locale.ROOT));
                if (!d.mode().equals(mode.descriptorName())) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                problems.add(draft.problem("concurrency.mode", "\"" + d.mode() + "\" is not allowed; allowed: sync, threading, forking"));
            }
        }
        boolean virtual = d.virtualThreads() == null ? ServerDefaults.virtualThreads() : d.virtualThreads();
        int maxWorkers = range(draft, "concurrency.maxWorkers", d.maxWorkers(), ServerDefaults.maxWorkers(virtual), 1,
                100_000);
        int maxChildren = range(draft, "concurrency.maxChildren", d.maxChildren(), ServerDefaults.MAX_CHILDREN, 1, 10_000);
        int requestsPerChild = range(draft, "concurrency.requestsPerChild", d.requestsPerChild(),
                ServerDefaults.REQUESTS_PER_CHILD, 0, Integer.MAX_VALUE);
        int warm = range(draft, "concurrency.warmWorkers", d.warmWorkers(), ServerDefaults.warmWorkers(maxChildren), 0,
                maxChildren);
        Duration requestTimeout = seconds(draft, "concurrency.requestTimeout", d.requestTimeout(), true);
        List<String> jvmOptions = jvmOptions(draft, d.jvmOptions());
        return new ConcurrencyConfig(mode, maxWorkers, virtual,
                d.daemonThreads() == null ? ServerDefaults.DAEMON_THREADS : d.daemonThreads(),
                d.blockOnClose() == null ? ServerDefaults.BLOCK_ON_CLOSE : d.blockOnClose(), maxChildren,
                requestsPerChild, warm, requestTimeout, jvmOptions);
    }

    /** Forking workers' JVM options: options only; the host decides the class path and the main class. */
    private List<String> jvmOptions(Draft draft, List<String> options) {
        List<String> valid = new ArrayList<>();
        for (int i = 0; options != null && i < options.size(); i++) {
            String option = options.get(i);
            if (option == null || !option.startsWith("-") || LAUNCH_OPTIONS.contains(option)) {
                problems.add(draft.problem("concurrency.jvmOptions[" + i + "]", "\"" + option + "\" is not allowed; allowed: "
                        + "JVM options such as \"-Xmx64m\" or \"-Dkey=value\" (the host sets the class path and main class)"));
            } else {
                valid.add(option);
            }
        }
        return valid;
    }

    private ClientRules rules(Draft draft, VerifyDeclaration v, ConcurrencyConfig concurrency) {
        int perClient = ServerDefaults.maxConnectionsPerClient(concurrency.mode(), concurrency.maxWorkers());
        if (v == null) {
            return new ClientRules(List.of(), List.of(), perClient);
        }
        return new ClientRules(cidrs(draft, "verify.allow", v.allow()), cidrs(draft, "verify.deny", v.deny()),
                range(draft, "verify.maxConnectionsPerClient", v.maxConnectionsPerClient(), perClient, 0, 1_000_000));
    }

    /** The PROXY protocol block: stream transports only; on tcp it must name whom to believe. */
    private ProxyProtocolConfig proxyProtocol(Draft draft, ProxyProtocolDeclaration p, Transport transport) {
        if (p == null) {
            return null;
        }
        if (!transport.isStream()) {
            problems.add(draft.problem("proxyProtocol", "the PROXY protocol precedes a connection's bytes, so it serves "
                    + "stream transports (tcp, unix-stream) only; remove it for " + transport));
            return null;
        }
        List<Cidr> trusted = cidrs(draft, "proxyProtocol.trusted", p.trusted());
        if (transport.isUnix() && p.trusted() != null && !p.trusted().isEmpty()) {
            problems.add(draft.problem("proxyProtocol.trusted", "a unix-stream peer has no address to check: every process "
                    + "that may open the socket file (socketMode) is trusted; leave trusted out or empty"));
        } else if (!transport.isUnix() && (p.trusted() == null || p.trusted().isEmpty()) && !wrongType(draft, "proxyProtocol",
                "trusted")) {
            problems.add(draft.problem("proxyProtocol.trusted", "missing; give the address blocks of the load balancers "
                    + "whose headers are believed, e.g. [\"127.0.0.1/32\", \"10.0.0.0/8\"]"));
        }
        Duration headerTimeout = p.headerTimeout() == null ? ServerDefaults.PROXY_HEADER_TIMEOUT
                : seconds(draft, "proxyProtocol.headerTimeout", p.headerTimeout(), false);
        return new ProxyProtocolConfig(trusted,
                headerTimeout == null ? ServerDefaults.PROXY_HEADER_TIMEOUT : headerTimeout);
    }

    /** Whether a field is given but did not bind (the binder has reported its type already). */
    private static boolean wrongType(Draft draft, String block, String field) {
        JsonNode value = draft.node.path(block).path(field);
        return !value.isMissingNode() && !value.isNull() && !value.isArray();
    }

    private List<Cidr> cidrs(Draft draft, String field, List<String> texts) {
        List<Cidr> result = new ArrayList<>();
        if (texts == null) {
            return result;
        }
        for (int i = 0; i < texts.size(); i++) {
            try {
                result.add(Cidr.parse(String.valueOf(texts.get(i))));
            } catch (IllegalArgumentException e) {
                problems.add(draft.problem(field + "[" + i + "]", e.getMessage()));
            }
        }
        return result;
    }

    private int range(Draft draft, String field, Integer value, int dflt, int min, int max) {
        if (value == null) {
            return dflt;
        }
        if (value < min || value > max) {
            problems.add(draft.problem(field, "value " + value + " is out of range; allowed: " + min + " to " + max));
            return dflt;
        }
        return value;
    }

    private Duration seconds(Draft draft, String field, Double value, boolean zeroMeansNone) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value < 0 || value > 86_400 || (!zeroMeansNone && value == 0)) {
            problems.add(draft.problem(field, "value " + value + " is out of range; allowed: " + (zeroMeansNone ? "0" : "more than 0")
                    + " to 86400 seconds" + (zeroMeansNone ? " (0 or absent: no limit)" : "")));
            return null;
        }
        return value == 0 ? null : Duration.ofNanos(Math.round(value * 1e9));
    }

    private void checkAddressClashes(List<ServerConfig> servers, Map<String, Draft> drafts) {
        List<ServerConfig> enabled = servers.stream().filter(ServerConfig::enabled).toList();
        for (int i = 0; i < enabled.size(); i++) {
            for (int j = 0; j < i; j++) {
                ServerConfig a = enabled.get(i);
                ServerConfig b = enabled.get(j);
                if (clash(a, b)) {
                    problems.add(drafts.get(a.name()).problem("address", "address " + Addresses.format(a.address())
                            + " (" + a.transport() + ") is also used by server \"" + b.name() + "\"; give each enabled "
                            + "server its own address, or disable one with \"enabled\": false"));
                }
            }
        }
    }

    private static boolean clash(ServerConfig a, ServerConfig b) {
        if (a.transport().isUnix() || b.transport().isUnix()) {
            return a.transport().isUnix() && b.transport().isUnix() && a.address().equals(b.address());
        }
        if (a.transport() != b.transport()) {
            return false; // tcp and udp ports are separate namespaces
        }
        InetSocketAddress x = (InetSocketAddress) a.address();
        InetSocketAddress y = (InetSocketAddress) b.address();
        if (x.getPort() == 0 || x.getPort() != y.getPort()) {
            return false;
        }
        return x.getAddress().equals(y.getAddress()) || x.getAddress().isAnyLocalAddress() || y.getAddress().isAnyLocalAddress();
    }
}
