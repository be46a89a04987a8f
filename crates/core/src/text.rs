//! Text fitted to a width, for tables in the terminal and on stdout.

/// `text` in at most `width` characters: cut with an ellipsis when it is longer, so a reader
/// can tell a cut value from a whole one.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn long_text_ends_in_an_ellipsis_within_the_width() {
        assert_eq!(fit("Amazon Web Services", 12), "Amazon Web …");
        assert_eq!(fit("Amazon Web Services", 12).chars().count(), 12);
        assert_eq!(fit("AWS", 12), "AWS");
        assert_eq!(fit("exactly", 7), "exactly");
        assert_eq!(fit("abc", 1), "…");
        assert_eq!(fit("abc", 0), "");
    }
}
