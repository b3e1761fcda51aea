package io.sockethost.core.plugin;

import java.nio.file.Path;

import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * Loads each plugin jar in its own parent-last class loader, except for the packages plugins and host must
 * share: the sockethost API, SLF4J and Jackson always come from the host, so a handler is the host's
 * {@code StreamHandler} and logs through the host's binding even if a jar carries copies of them.
 */
final class ApiFirstPluginLoader extends JarPluginLoader {
    private static final String[] SHARED_PACKAGES = {"io.sockethost.api.", "org.slf4j.", "com.fasterxml.jackson."};

    ApiFirstPluginLoader(PluginManager pluginManager) {
        super(pluginManager);
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor pluginDescriptor) {
        return new PluginClassLoader(pluginManager, pluginDescriptor, getClass().getClassLoader()) {
            @Override
            protected boolean shouldDelegateToParent(String className) {
                for (String prefix : SHARED_PACKAGES) {
                    if (className.startsWith(prefix)) {
                        return true;
                    }
                }
                return super.shouldDelegateToParent(className);
            }
        };
    }
}
