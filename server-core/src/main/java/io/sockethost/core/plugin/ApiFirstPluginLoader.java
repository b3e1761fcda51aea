package io.sockethost.core.plugin;

import java.nio.file.Path;

import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;

/**
 * Loads each plugin in its own parent-last class loader, except for the packages plugins and host must
 * share: the sockethost API and SLF4J always come from the host (and the JDK and PF4J, as PF4J does), so a
 * handler is the host's {@code StreamHandler} and logs through the host's binding even if a plugin carries
 * copies of them. Everything else a plugin carries comes first from the plugin: a jar's own classes, or an
 * unpacked zip's {@code classes/} and {@code lib/*.jar}, so a plugin may bundle its own version of a library
 * the host also has (Jackson, say); what it does not carry comes from the host. Stateless.
 */
final class ApiFirstPluginLoader {
    private static final String[] SHARED_PACKAGES = {"io.sockethost.api.", "org.slf4j."};

    private ApiFirstPluginLoader() {
    }

    /** @return PF4J's jar loader and its folder loader (classes/ and lib/), both API-first */
    static PluginLoader create(PluginManager pluginManager) {
        return new CompoundPluginLoader()
                .add(new JarPluginLoader(pluginManager) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return classLoader(pluginManager, descriptor);
                    }
                })
                .add(new DefaultPluginLoader(pluginManager) {
                    @Override
                    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                        return classLoader(pluginManager, descriptor);
                    }
                });
    }

    private static PluginClassLoader classLoader(PluginManager pluginManager, PluginDescriptor descriptor) {
        return new PluginClassLoader(pluginManager, descriptor, ApiFirstPluginLoader.class.getClassLoader()) {
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
