package io.sockethost.operations;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;

/**
 * The meters of a registry as read-only MBeans of the platform MBean server, one per meter, named
 * {@code io.sockethost:type=Metrics,name=<meter>,<tag>=<value>...}, with one attribute per statistic
 * ({@code count}, {@code value}, {@code total_time}, {@code max}...), read from the meter when asked. A plain
 * {@link DynamicMBean} over the one registry, so a request updates one counter, not one per exposition (as
 * a composite with Micrometer's JMX registry would), and no Dropwizard jars come in. Thread-safe.
 */
final class MeterMBeans implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeterMBeans.class);
    static final String DOMAIN = "io.sockethost";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Map<Meter.Id, ObjectName> registered = new ConcurrentHashMap<>();

    /** Registers every meter the registry has and every one it gets from now on. */
    MeterMBeans(MeterRegistry registry) {
        registry.config().onMeterAdded(this::register);
        registry.config().onMeterRemoved(meter -> unregister(meter.getId()));
        registry.getMeters().forEach(this::register);
    }

    static ObjectName nameOf(Meter.Id id) throws JMException {
        StringBuilder sb = new StringBuilder(DOMAIN).append(":type=Metrics,name=").append(value(id.getName()));
        for (Tag tag : id.getTagsAsIterable()) {
            if (!tag.getKey().equals("type") && !tag.getKey().equals("name")) {
                sb.append(',').append(tag.getKey()).append('=').append(value(tag.getValue()));
            }
        }
        return new ObjectName(sb.toString());
    }

    private static String value(String v) {
        return v.matches("[^,=:\"*?\\\\\n]*") ? v : ObjectName.quote(v);
    }

    private void register(Meter meter) {
        try {
            ObjectName name = nameOf(meter.getId());
            if (registered.putIfAbsent(meter.getId(), name) == null && !server.isRegistered(name)) {
                server.registerMBean(new MeterBean(meter), name);
            }
        } catch (JMException | RuntimeException e) {
            log.debug("meter {} not exposed through JMX: {}", meter.getId(), e.toString());
        }
    }

    private void unregister(Meter.Id id) {
        ObjectName name = registered.remove(id);
        if (name != null) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                log.debug("MBean {} already gone: {}", name, e.toString());
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(registered.keySet()).forEach(this::unregister);
    }

    /** One meter; each statistic it measures is a {@code Double} attribute. */
    private static final class MeterBean implements DynamicMBean {
        private final Meter meter;

        MeterBean(Meter meter) {
            this.meter = meter;
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            for (Measurement m : meter.measure()) {
                if (m.getStatistic().getTagValueRepresentation().equals(attribute)) {
                    return m.getValue();
                }
            }
            throw new AttributeNotFoundException(attribute);
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            AttributeList list = new AttributeList();
            for (String a : attributes) {
                try {
                    list.add(new Attribute(a, getAttribute(a)));
                } catch (AttributeNotFoundException e) {
                    // left out, as the interface allows
                }
            }
            return list;
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException("read-only: " + attribute.getName());
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException("no operations");
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            List<MBeanAttributeInfo> attributes = new ArrayList<>();
            for (Measurement m : meter.measure()) {
                String name = m.getStatistic().getTagValueRepresentation();
                attributes.add(new MBeanAttributeInfo(name, Double.class.getName(), name, true, false, false));
            }
            String description = meter.getId().getDescription() == null ? meter.getId().getName() : meter.getId().getDescription();
            return new MBeanInfo(Meter.class.getName(), description, attributes.toArray(MBeanAttributeInfo[]::new),
                    null, null, null);
        }
    }
}
