package io.timeshard.accessnode.cli;

import java.util.List;

/** Prints rows as an aligned text table, the way psql does (header, dashes, rows). */
final class TextTable {
    private TextTable() {}

    static void print(String[] header, List<String[]> rows) {
        int[] w = new int[header.length];
        for (int i = 0; i < header.length; i++) w[i] = header[i].length();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < header.length; i++) sb.append(i == 0 ? " " : " | ").append(pad(header[i], w[i]));
        System.out.println(sb);
        sb.setLength(0);
        for (int i = 0; i < header.length; i++) sb.append(i == 0 ? "-" : "-+-").append("-".repeat(w[i]));
        System.out.println(sb.append('-'));
        for (String[] r : rows) {
            sb.setLength(0);
            for (int i = 0; i < r.length; i++) sb.append(i == 0 ? " " : " | ").append(pad(r[i] == null ? "" : r[i], w[i]));
            System.out.println(sb);
        }
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
