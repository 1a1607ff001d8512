package dev.opticalmemory.memory;

import java.util.regex.Pattern;

/** JDBC URLs as messages may show them: without the passwords they may carry. */
public final class JdbcUrls {
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
  private static final Pattern USER_INFO =
      Pattern.compile("^(jdbc:[a-z0-9]+:(//)?[^/?;@:]*):[^/?;@]*@");

  private JdbcUrls() {}

  /**
   * The URL with any password in it, as a {@code password=} parameter or in a {@code user:pw@}
   * part, replaced by {@code ***}.
   *
   * @param url a JDBC URL, or any text that may hold one
   * @return the text with its passwords hidden
   * @throws NullPointerException if url is null
   */
  public static String redact(String url) {
    String hidden = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(hidden).replaceAll("$1:***@");
  }
}
