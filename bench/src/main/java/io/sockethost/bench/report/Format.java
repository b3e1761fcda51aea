package io.sockethost.bench.report;

import java.util.Locale;

/** Number formats of the report. */
final class Format {
    private Format() {
    }

    static String rate(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** Microseconds as milliseconds with three significant digits or so. */
    static String millis(double micros) {
        if (Double.isNaN(micros)) {
            return "—";
        }
        double ms = micros / 1000;
        return String.format(Locale.ROOT, ms < 1 ? "%.3f" : ms < 10 ? "%.2f" : ms < 100 ? "%.1f" : "%.0f", ms);
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.0f", v);
    }

    static String mib(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "—";
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.0f×" : "%.2f×", v);
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Table cells may not hold a pipe or a line break. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
