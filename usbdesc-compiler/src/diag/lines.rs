//! Line and column lookup in O(log n): the line starts of a text, found once per file, so
//! rendering many diagnostics does not rescan the text from the start for each one.

/// Where each line of a text starts, and where its multi-byte characters continue.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of every line start (0, then after each `\n`).
    starts: Vec<usize>,
    /// Byte offsets of UTF-8 continuation bytes (columns count characters, not bytes).
    continuations: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let starts = std::iter::once(0).chain(memchr_all(bytes, b'\n').map(|i| i + 1)).collect();
        let continuations = if text.is_ascii() { Vec::new() } else { (0..bytes.len()).filter(|&i| bytes[i] & 0xC0 == 0x80).collect() };
        LineIndex { starts, continuations, len: text.len() }
    }

    /// 0-based line of a byte offset (clamped to the text).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where 0-based `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Number of lines (a text ending in `\n` has an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and column (in characters) of a byte offset, as [`super::line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line(offset);
        let start = self.starts[line];
        // Characters = bytes minus continuation bytes in start..offset; an offset inside a
        // character counts as that character (floored to its boundary).
        let cont = |o: usize| self.continuations.partition_point(|&c| c < o);
        let mut end = offset;
        while end > start && self.continuations.binary_search(&end).is_ok() {
            end -= 1;
        }
        let chars = (end - start) - (cont(end) - cont(start));
        (line + 1, chars + 1)
    }
}

fn memchr_all(bytes: &[u8], needle: u8) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(move |(_, &b)| b == needle).map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_scan_on_every_offset() {
        let text = "ab\ncé\n\nxyz ü\n";
        let idx = LineIndex::new(text);
        for o in 0..=text.len() + 2 {
            assert_eq!(idx.line_col(o), super::super::line_col_scan(text, o), "offset {o}");
        }
        assert_eq!(idx.lines(), 5);
        assert_eq!(idx.line_start(1), 3);
        assert_eq!(idx.line(4), 1);
    }
}
