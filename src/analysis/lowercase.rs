//! [`lowercase_into`]: a token lowercased as the analyzer and the keyword scan read it.

/// `raw` lowercased into `lower` (cleared first).
pub(crate) fn lowercase_into(raw: &str, lower: &mut String) {
    lower.clear();
    if raw.is_ascii() {
        lower.push_str(raw);
        lower.make_ascii_lowercase();
    } else {
        lower.extend(raw.chars().flat_map(char::to_lowercase));
    }
}
