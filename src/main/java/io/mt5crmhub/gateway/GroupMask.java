package io.mt5crmhub.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An MT5 group mask such as {@code real*,!demo*}: comma separated patterns where {@code *} matches any run of
 * characters and a leading {@code !} excludes. A group matches when it matches at least one including
 * pattern and no excluding one; a mask of only exclusions includes everything else. Matching ignores case,
 * as MT5 group names do. Group names contain backslashes (real\\usd); they are plain characters here.
 */
public final class GroupMask {

    public static final GroupMask ALL = parse("*");

    private final String text;
    private final List<Pattern> includes;
    private final List<Pattern> excludes;
    private final boolean all;

    private GroupMask(String text, List<Pattern> includes, List<Pattern> excludes, boolean all) {
        this.text = text;
        this.includes = includes;
        this.excludes = excludes;
        this.all = all;
    }

    public static GroupMask parse(String mask) {
        if (mask == null || mask.isBlank()) {
            return ALL;
        }
        List<Pattern> includes = new ArrayList<>();
        List<Pattern> excludes = new ArrayList<>();
        boolean includesAll = false;
        for (String part : mask.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean exclude = p.startsWith("!");
            String body = exclude ? p.substring(1).trim() : p;
            if (body.isEmpty()) {
                throw new IllegalArgumentException("group mask '" + mask + "' has an empty pattern");
            }
            (exclude ? excludes : includes).add(compile(body));
            includesAll |= !exclude && body.equals("*");
        }
        if (includes.isEmpty()) {
            includes.add(compile("*"));
            includesAll = true;
        }
        return new GroupMask(mask.trim(), List.copyOf(includes), List.copyOf(excludes),
                includesAll && excludes.isEmpty());
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal.toLowerCase(Locale.ROOT)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    public boolean matches(String group) {
        if (group == null) {
            return false;
        }
        String g = group.toLowerCase(Locale.ROOT);
        for (Pattern exclude : excludes) {
            if (exclude.matcher(g).matches()) {
                return false;
            }
        }
        for (Pattern include : includes) {
            if (include.matcher(g).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean matchesAll() {
        return all;
    }

    @Override
    public String toString() {
        return text;
    }
}
