package io.sockethost.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a standalone SVG: one group per connection count (or state), one bar per server.
 * sockethost's bars are drawn in warm colours, the others in cool ones, so the reader finds them at once.
 * Missing values (a skipped server) leave a gap.
 */
public final class BarChart {
    private static final String[] WARM = {"#d62728", "#ff7f0e", "#e377c2", "#8c564b", "#bcbd22"};
    private static final String[] COOL = {"#1f77b4", "#17becf", "#2ca02c", "#9467bd", "#7f7f7f", "#393b79", "#637939",
        "#6b6ecf", "#5254a3", "#8ca252"};
    private static final int WIDTH = 960;
    private static final int PLOT_TOP = 50;
    private static final int PLOT_HEIGHT = 300;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;

    /** One server's values, one per group (NaN for none). */
    public record Series(String name, boolean highlight, List<Double> values) {
        public Series {
            values = List.copyOf(values);
        }
    }

    private BarChart() {
    }

    public static String svg(String title, String unit, List<String> groups, List<Series> series) {
        double max = series.stream().flatMap(s -> s.values().stream()).filter(v -> !v.isNaN())
                .mapToDouble(Double::doubleValue).max().orElse(1);
        double step = niceStep(max / 5);
        double top = Math.max(step, Math.ceil(max / step) * step);
        int legendRows = (series.size() + 2) / 3;
        int height = PLOT_TOP + PLOT_HEIGHT + 40 + legendRows * 20 + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                PLOT_TOP + PLOT_HEIGHT / 2, PLOT_TOP + PLOT_HEIGHT / 2, escape(unit)));
        for (double tick = 0; tick <= top + step / 2; tick += step) {
            double y = PLOT_TOP + PLOT_HEIGHT - tick / top * PLOT_HEIGHT;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, WIDTH - RIGHT, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, compact(tick)));
        }
        double groupWidth = (WIDTH - LEFT - RIGHT) / (double) Math.max(1, groups.size());
        double barWidth = Math.min(40, (groupWidth - 20) / Math.max(1, series.size()));
        List<String> colours = colours(series);
        for (int g = 0; g < groups.size(); g++) {
            double groupLeft = LEFT + g * groupWidth + (groupWidth - barWidth * series.size()) / 2;
            for (int s = 0; s < series.size(); s++) {
                double value = series.get(s).values().get(g);
                if (Double.isNaN(value)) {
                    continue;
                }
                double h = value / top * PLOT_HEIGHT;
                double x = groupLeft + s * barWidth;
                double y = PLOT_TOP + PLOT_HEIGHT - h;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s: %s %s</title></rect>%n", x + 1, y, barWidth - 2, h, colours.get(s),
                        escape(series.get(s).name()), compact(value), escape(unit)));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" text-anchor=\"middle\">%s</text>%n",
                        x + barWidth / 2, y - 3, compact(value)));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>%n",
                    LEFT + g * groupWidth + groupWidth / 2, PLOT_TOP + PLOT_HEIGHT + 18, escape(groups.get(g))));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                LEFT, WIDTH - RIGHT, PLOT_TOP + PLOT_HEIGHT, PLOT_TOP + PLOT_HEIGHT));
        int legendTop = PLOT_TOP + PLOT_HEIGHT + 40;
        for (int s = 0; s < series.size(); s++) {
            int x = LEFT + (s % 3) * 290;
            int y = legendTop + (s / 3) * 20;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", x, y, colours.get(s), x + 18, y + 10,
                    series.get(s).highlight() ? " font-weight=\"bold\"" : "", escape(series.get(s).name())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static List<String> colours(List<Series> series) {
        List<String> colours = new ArrayList<>();
        int warm = 0;
        int cool = 0;
        for (Series s : series) {
            colours.add(s.highlight() ? WARM[warm++ % WARM.length] : COOL[cool++ % COOL.length]);
        }
        return colours;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (rough <= 0 || Double.isNaN(rough)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= rough) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** 1.2M, 35k, 4.5, 0.12 */
    static String compact(double v) {
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
