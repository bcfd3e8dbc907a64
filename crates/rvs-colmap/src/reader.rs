//! Little-endian cursor over a byte slice. Field names are `fmt::Arguments`, formatted only
//! when a read fails, so a million-point file costs no string work.

use std::fmt::Arguments;

use crate::error::{ColmapError, Problem};

/// The largest integer a JavaScript number (f64) holds exactly, 2^53 − 1.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    file: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8], file: &'a str) -> Self {
        Reader { data, pos: 0, file }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn error(&self, problem: Problem) -> ColmapError {
        ColmapError {
            file: self.file.to_owned(),
            problem,
        }
    }

    fn take(&mut self, n: u64, what: Arguments) -> Result<&'a [u8], ColmapError> {
        let left = self.remaining();
        match usize::try_from(n) {
            Ok(n) if n <= left => {
                let bytes = &self.data[self.pos..self.pos + n];
                self.pos += n;
                Ok(bytes)
            }
            _ => Err(self.error(Problem::Truncated {
                at: self.pos,
                what: what.to_string(),
                needs: n,
                left,
            })),
        }
    }

    fn array<const N: usize>(&mut self, what: Arguments) -> Result<[u8; N], ColmapError> {
        let bytes = self.take(N as u64, what)?;
        Ok(bytes.try_into().expect("take returned N bytes"))
    }

    pub fn u8(&mut self, what: Arguments) -> Result<u8, ColmapError> {
        Ok(self.array::<1>(what)?[0])
    }

    pub fn i32(&mut self, what: Arguments) -> Result<i32, ColmapError> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }

    pub fn u32(&mut self, what: Arguments) -> Result<u32, ColmapError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A u64 count, size or id; refused above 2^53 − 1 (a corrupt file, and not a JS number).
    pub fn u64(&mut self, what: Arguments) -> Result<u64, ColmapError> {
        let at = self.pos;
        let value = u64::from_le_bytes(self.array(what)?);
        if value > MAX_SAFE_INTEGER {
            return Err(self.error(Problem::TooLarge {
                what: what.to_string(),
                at,
                value,
            }));
        }
        Ok(value)
    }

    pub fn f64(&mut self, what: Arguments) -> Result<f64, ColmapError> {
        Ok(f64::from_le_bytes(self.array(what)?))
    }

    /// `N` f64s; a truncation names the element (`{what}[i]`).
    pub fn f64s<const N: usize>(&mut self, what: Arguments) -> Result<[f64; N], ColmapError> {
        let mut out = [0.0; N];
        for (i, v) in out.iter_mut().enumerate() {
            *v = self.f64(format_args!("{what}[{i}]"))?;
        }
        Ok(out)
    }

    /// Appends `n` f64s to `out`; a truncation names the element (`{what}[i]`).
    pub fn f64s_into(
        &mut self,
        n: usize,
        out: &mut Vec<f64>,
        what: Arguments,
    ) -> Result<(), ColmapError> {
        for i in 0..n {
            out.push(self.f64(format_args!("{what}[{i}]"))?);
        }
        Ok(())
    }

    /// A NUL-terminated UTF-8 string (the NUL is consumed, not returned).
    pub fn cstring(&mut self, what: Arguments) -> Result<&'a str, ColmapError> {
        let start = self.pos;
        let rest = &self.data[start..];
        let Some(len) = rest.iter().position(|&b| b == 0) else {
            return Err(self.error(Problem::Unterminated {
                what: what.to_string(),
                at: start,
            }));
        };
        let text = std::str::from_utf8(&rest[..len]).map_err(|e| {
            let bad_at = start + e.valid_up_to();
            self.error(Problem::InvalidUtf8 {
                what: what.to_string(),
                at: start,
                bad_at,
                byte: self.data[bad_at],
            })
        })?;
        self.pos = start + len + 1;
        Ok(text)
    }

    /// Refuses a header count whose records, at least `min_bytes` each, cannot fit in what is
    /// left: a corrupt count, caught before anything is allocated for it.
    pub fn check_count(
        &self,
        count: u64,
        min_bytes: u64,
        records: &'static str,
    ) -> Result<usize, ColmapError> {
        let left = self.remaining();
        match count.checked_mul(min_bytes) {
            Some(need) if need <= left as u64 => Ok(count as usize),
            _ => Err(self.error(Problem::CountTooLarge {
                count,
                records,
                left,
            })),
        }
    }

    /// Skips `count` records of `size` bytes each.
    pub fn skip(&mut self, count: u64, size: u64, what: Arguments) -> Result<(), ColmapError> {
        let bytes = count.saturating_mul(size);
        self.take(bytes, format_args!("{count} {what}")).map(|_| ())
    }

    /// Refuses bytes left over after the last record.
    pub fn expect_end(&self, count: u64, records: &'static str) -> Result<(), ColmapError> {
        match self.remaining() {
            0 => Ok(()),
            left => Err(self.error(Problem::LeftOver {
                left,
                count,
                records,
            })),
        }
    }
}
