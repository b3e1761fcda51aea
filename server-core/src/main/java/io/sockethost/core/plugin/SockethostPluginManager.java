package io.sockethost.core.plugin;

import java.nio.file.Path;

import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.RuntimeMode;

/**
 * PF4J configured for sockethost: plugins are jars or unpacked plugin zips with a JSON descriptor, loaded
 * API-first, checked against the host's version. Not thread-safe (as PF4J's manager): used from the host's main thread only.
 */
final class SockethostPluginManager extends DefaultPluginManager {

    SockethostPluginManager(Path pluginsDir, String hostVersion) {
        super(pluginsDir);
        setSystemVersion(hostVersion);
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new JsonPluginDescriptorFinder();
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return ApiFirstPluginLoader.create(this);
    }

    @Override
    protected PluginRepository createPluginRepository() {
        return new JarPluginRepository(getPluginsRoots());
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        return RuntimeMode.DEPLOYMENT;
    }
}
