package io.sockethost.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs plugin jars in one real host for the whole test class and injects it as a {@link PluginHost}
 * parameter into test methods (and {@code @BeforeAll}/{@code @BeforeEach} methods). The host is stopped
 * and its temporary folder deleted after the class.
 *
 * <pre>{@code
 * @WithPluginHost
 * class MyPluginIT {
 *     @Test
 *     void echoes(PluginHost host) throws Exception {
 *         try (StreamClient client = StreamClient.connect(host.address("my-server"))) { ... }
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PluginHostExtension.class)
public @interface WithPluginHost {
    /**
     * The plugin jars. {@code ${name}} is replaced by the system property {@code name}; the default is the
     * jar that the failsafe plugin's {@code plugin.jar} property names.
     */
    String[] plugins() default {"${plugin.jar}"};

    /** Operator override files, in the format of {@code conf/sockethost.json}, applied in order. */
    String[] overrides() default {};
}
