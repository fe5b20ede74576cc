package io.timeshard.planner.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal PostgreSQL tokenizer for the few statements Timeshard reads itself (COPY, transaction
 * control, CREATE EXTENSION): words are lower-cased unless double-quoted, string literals keep their
 * content, punctuation is one token each. Comments are skipped.
 *
 * @param tokens the tokens in order
 */
public record Tokens(List<Token> tokens) {
    /** Kinds of token. */
    public enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PUNCT }

    /** One token: its kind and text (unquoted, and lower-cased for plain words). */
    public record Token(Kind kind, String text) {
        /** @return true for an unquoted word equal (case-insensitively) to {@code w} */
        public boolean is(String w) {
            return kind == Kind.WORD && text.equals(w);
        }

        /** @return true for the punctuation {@code p} */
        public boolean isPunct(String p) {
            return kind == Kind.PUNCT && text.equals(p);
        }

        /** @return true for a word or quoted identifier */
        public boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_IDENT;
        }
    }

    /** The last statement this thread tokenized: one statement is read by several checks in a row. */
    private static final ThreadLocal<Tokens.Memo> LAST = new ThreadLocal<>();

    private record Memo(String sql, Tokens tokens) {}

    /** @return the tokens of {@code sql} (the same instance for the same text asked for again by this thread) */
    public static Tokens of(String sql) {
        Memo last = LAST.get();
        if (last != null && last.sql.equals(sql)) return last.tokens;
        Tokens tokens = tokenize(sql);
        LAST.set(new Memo(sql, tokens));
        return tokens;
    }

    private static Tokens tokenize(String sql) {
        String s = StatementSplitter.stripComments(sql);
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = StatementSplitter.skipQuoted(s, i, '"', false);
                out.add(new Token(Kind.QUOTED_IDENT, s.substring(i + 1, end - 1).replace("\"\"", "\"")));
                i = end;
            } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && s.charAt(i + 1) == '\'')) {
                boolean esc = c != '\'';
                int q = esc ? i + 1 : i;
                int end = StatementSplitter.skipQuoted(s, q, '\'', esc);
                String body = s.substring(q + 1, end - 1).replace("''", "'");
                out.add(new Token(Kind.STRING, esc ? unescape(body) : body));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && StatementSplitter.isIdentChar(s.charAt(j))) j++;
                out.add(new Token(Kind.WORD, s.substring(i, j).toLowerCase(Locale.ROOT)));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) j++;
                out.add(new Token(Kind.NUMBER, s.substring(i, j)));
                i = j;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return new Tokens(List.copyOf(out));
    }

    /** @return the i-th token, or a PUNCT token with empty text past the end */
    public Token get(int i) {
        return i < tokens.size() ? tokens.get(i) : new Token(Kind.PUNCT, "");
    }

    /** @return the number of tokens */
    public int size() {
        return tokens.size();
    }

    /** @return true when the first words are {@code words}, in order */
    public boolean startsWith(String... words) {
        for (int i = 0; i < words.length; i++) {
            if (!get(i).is(words[i])) return false;
        }
        return true;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                switch (d) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    default -> sb.append(d);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
