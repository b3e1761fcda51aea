package io.sockethost.testkit;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit extension behind {@link WithPluginHost}: one host per test class, started before the class's first
 * test and closed by JUnit's extension store after its last (JUnit 5.13 or later closes {@link AutoCloseable}
 * store values). Stateless; JUnit calls it on the threads that run the class.
 */
public final class PluginHostExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PluginHostExtension.class);
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        WithPluginHost config = testClass.getAnnotation(WithPluginHost.class);
        if (config == null) {
            throw new ExtensionConfigurationException(testClass.getName() + " needs @WithPluginHost");
        }
        PluginHost.Builder builder = PluginHost.builder();
        for (String plugin : config.plugins()) {
            builder.plugin(Path.of(expand(plugin)));
        }
        for (String override : config.overrides()) {
            builder.override(override);
        }
        // JUnit (5.13 and later) closes an AutoCloseable value when its store is closed: after the test class
        PluginHost host = builder.start();
        context.getStore(NAMESPACE).put("host", host);
    }

    static String expand(String text) {
        Matcher m = PROPERTY.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = System.getProperty(m.group(1));
            if (value == null) {
                throw new ExtensionConfigurationException("system property " + m.group(1) + " is not set (used in \"" + text
                        + "\"); set it in the failsafe/surefire systemPropertyVariables");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PluginHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PluginHost host = context.getStore(NAMESPACE).get("host", PluginHost.class);
        if (host == null) {
            throw new ExtensionConfigurationException("the plugin host is not started yet");
        }
        return host;
    }
}
