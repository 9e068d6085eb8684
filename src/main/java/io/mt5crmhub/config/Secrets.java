package io.mt5crmhub.config;

import java.util.regex.Pattern;

/** Keeps secrets out of messages and logs. */
public final class Secrets {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password|passwd|pwd)=([^&;]*)");
    private static final Pattern URL_USERINFO = Pattern.compile("://([^/:@]+):([^@/]*)@");

    private Secrets() {
    }

    /** A JDBC or AMQP URL with any password in it replaced by {@code ***}. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(url).replaceAll("$1=***");
        return URL_USERINFO.matcher(masked).replaceAll("://$1:***@");
    }
}
