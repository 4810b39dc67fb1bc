//! A minimal zip writer and reader.
//!
//! [`write`] stores entries uncompressed, enough for DOCX containers and workspace exports.
//! [`read`] takes what it wrote back, and also archives re-packed by other tools (deflated
//! entries, data descriptors), checking every entry's size and CRC-32 against the central
//! directory so that a truncated or damaged file is refused instead of half-read.

/// One file to put in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Path inside the archive.
    pub name: &'a str,
    /// Contents.
    pub data: &'a [u8],
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A zip archive that is too large for this writer (no zip64).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("archive larger than 4 GiB or with more than 65,535 entries")]
pub struct TooLarge;

/// Writes a zip archive with the entries stored as they are.
///
/// # Errors
/// [`TooLarge`] beyond the 4 GiB / 65,535-entry limits of plain zip.
pub fn write(entries: &[Entry<'_>]) -> Result<Vec<u8>, TooLarge> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let crc = crc32fast::hash(e.data);
        let size = u32::try_from(e.data.len()).map_err(|_| TooLarge)?;
        let name_len = u16::try_from(e.name.len()).map_err(|_| TooLarge)?;
        let offset = u32::try_from(out.len()).map_err(|_| TooLarge)?;
        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0x0800); // flags: UTF-8 names
        u16le(&mut out, 0); // stored
        u16le(&mut out, 0); // time
        u16le(&mut out, 0x21); // date: 1980-01-01
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(e.data);
        // Central directory record.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20);
        u16le(&mut central, 20);
        u16le(&mut central, 0x0800);
        u16le(&mut central, 0);
        u16le(&mut central, 0);
        u16le(&mut central, 0x21);
        u32le(&mut central, crc);
        u32le(&mut central, size);
        u32le(&mut central, size);
        u16le(&mut central, name_len);
        u16le(&mut central, 0); // extra
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let count = u16::try_from(entries.len()).map_err(|_| TooLarge)?;
    let central_offset = u32::try_from(out.len()).map_err(|_| TooLarge)?;
    let central_len = u32::try_from(central.len()).map_err(|_| TooLarge)?;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, count);
    u16le(&mut out, count);
    u32le(&mut out, central_len);
    u32le(&mut out, central_offset);
    u16le(&mut out, 0);
    Ok(out)
}

/// One file read from an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path inside the archive.
    pub name: String,
    /// Contents, uncompressed.
    pub data: Vec<u8>,
}

/// Why an archive cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// No end-of-archive record: not a zip file, or cut off before its end.
    #[error("not a zip archive, or the file is cut off")]
    NotZip,
    /// An entry or the directory points outside the file.
    #[error("the archive is cut off or damaged at {0:?}")]
    Truncated(String),
    /// An entry is compressed with a method other than stored or deflate.
    #[error("{0:?} uses compression method {1}, which is not supported")]
    Unsupported(String, u16),
    /// An entry is encrypted.
    #[error("{0:?} is encrypted")]
    Encrypted(String),
    /// An entry's contents do not match its checksum or size.
    #[error("{0:?} is damaged (size or checksum does not match)")]
    Damaged(String),
    /// The archive unpacks to more than the limit.
    #[error("the archive unpacks to more than {0} bytes")]
    TooLarge(u64),
    /// An entry name is absolute or climbs out of the archive.
    #[error("entry name {0:?} is not a plain relative path")]
    BadName(String),
    /// The same name appears twice.
    #[error("{0:?} appears twice in the archive")]
    Duplicate(String),
    /// Zip64 and multi-disk archives.
    #[error("zip64 and split archives are not supported")]
    Zip64,
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Where the end-of-central-directory record starts.
fn find_end(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    (first..=last)
        .rev()
        .find(|&at| le32(bytes, at) == Some(0x0605_4b50))
}

fn usize_of(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// Reads every file of a zip archive (directories are skipped), refusing it as a whole when
/// anything is wrong. `limit` bounds the total uncompressed size, so a small hostile file
/// cannot make the reader allocate without end.
///
/// # Errors
/// A [`ReadError`] naming the first problem found.
pub fn read(bytes: &[u8], limit: u64) -> Result<Vec<File>, ReadError> {
    let end = find_end(bytes).ok_or(ReadError::NotZip)?;
    let field = |at: usize| le16(bytes, end + at).ok_or(ReadError::NotZip);
    let (disk, dir_disk, on_disk, count) = (field(4)?, field(6)?, field(8)?, field(10)?);
    let dir_offset = le32(bytes, end + 16).ok_or(ReadError::NotZip)?;
    if disk != 0 || dir_disk != 0 || on_disk != count || count == u16::MAX || dir_offset == u32::MAX
    {
        return Err(ReadError::Zip64);
    }
    let mut at = usize_of(dir_offset);
    let mut files: Vec<File> = Vec::with_capacity(usize::from(count));
    let mut total = 0u64;
    let whole = || ReadError::Truncated("centrale map".into());
    for _ in 0..count {
        if le32(bytes, at) != Some(0x0201_4b50) {
            return Err(whole());
        }
        let h = |off: usize| le16(bytes, at + off).ok_or_else(whole);
        let w = |off: usize| le32(bytes, at + off).ok_or_else(whole);
        let (flags, method) = (h(8)?, h(10)?);
        let (crc, packed, size) = (w(16)?, w(20)?, w(24)?);
        let (name_len, extra_len, comment_len) = (h(28)?, h(30)?, h(32)?);
        let local = usize_of(w(42)?);
        let name_bytes = bytes
            .get(at + 46..at + 46 + usize::from(name_len))
            .ok_or_else(whole)?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at += 46 + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
        if packed == u32::MAX || size == u32::MAX || local == usize::MAX {
            return Err(ReadError::Zip64);
        }
        if name.starts_with('/')
            || name.contains('\\')
            || name.split('/').any(|part| part == "..")
            || name.contains('\0')
        {
            return Err(ReadError::BadName(name));
        }
        if name.ends_with('/') {
            continue;
        }
        if flags & 1 != 0 {
            return Err(ReadError::Encrypted(name));
        }
        total += u64::from(size);
        if total > limit {
            return Err(ReadError::TooLarge(limit));
        }
        let cut = || ReadError::Truncated(name.clone());
        if le32(bytes, local) != Some(0x0403_4b50) {
            return Err(cut());
        }
        let local_name = usize::from(le16(bytes, local + 26).ok_or_else(cut)?);
        let local_extra = usize::from(le16(bytes, local + 28).ok_or_else(cut)?);
        let start = local + 30 + local_name + local_extra;
        let packed_data = bytes
            .get(start..start.saturating_add(usize_of(packed)))
            .ok_or_else(cut)?;
        let data = match method {
            0 => packed_data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(packed_data, usize_of(size))
                .map_err(|_| ReadError::Damaged(name.clone()))?,
            other => return Err(ReadError::Unsupported(name, other)),
        };
        if data.len() != usize_of(size) || crc32fast::hash(&data) != crc {
            return Err(ReadError::Damaged(name));
        }
        if files.iter().any(|f| f.name == name) {
            return Err(ReadError::Duplicate(name));
        }
        files.push(File { name, data });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_points_where_it_says() {
        let zip = write(&[
            Entry {
                name: "a.txt",
                data: b"hallo",
            },
            Entry {
                name: "map/b.xml",
                data: b"<x/>",
            },
        ])
        .unwrap();
        assert_eq!(&zip[..4], b"PK\x03\x04");
        let end = zip.len() - 22;
        assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
        let count = u16::from_le_bytes([zip[end + 10], zip[end + 11]]);
        let offset = u32::from_le_bytes(zip[end + 16..end + 20].try_into().unwrap()) as usize;
        assert_eq!(count, 2);
        assert_eq!(&zip[offset..offset + 4], b"PK\x01\x02");
        // The CRC of "hallo" as zlib computes it.
        assert_eq!(crc32fast::hash(b"hallo"), 0xB97231D1);
    }

    fn sample() -> Vec<u8> {
        write(&[
            Entry {
                name: "manifest.json",
                data: b"{}",
            },
            Entry {
                name: "audio/a.wav",
                data: &[0u8, 1, 2, 3, 255],
            },
        ])
        .unwrap()
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let files = read(&sample(), 1 << 20).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].name, "manifest.json");
        assert_eq!(files[0].data, b"{}");
        assert_eq!(files[1].data, [0, 1, 2, 3, 255]);
    }

    #[test]
    fn every_truncation_is_refused() {
        let zip = sample();
        for len in 0..zip.len() {
            assert!(read(&zip[..len], 1 << 20).is_err(), "cut at {len} was read");
        }
    }

    #[test]
    fn a_flipped_content_byte_is_caught_by_the_checksum() {
        let mut zip = sample();
        // First entry's data starts after the 30-byte header and its 13-byte name.
        zip[30 + 13] ^= 0x20;
        assert_eq!(
            read(&zip, 1 << 20),
            Err(ReadError::Damaged("manifest.json".into()))
        );
    }

    #[test]
    fn the_size_limit_holds() {
        assert_eq!(read(&sample(), 4), Err(ReadError::TooLarge(4)));
    }

    #[test]
    fn names_that_climb_out_are_refused() {
        let zip = write(&[Entry {
            name: "../etc/passwd",
            data: b"x",
        }])
        .unwrap();
        assert!(matches!(read(&zip, 100), Err(ReadError::BadName(_))));
    }

    #[test]
    fn deflated_entries_are_read() {
        let text = b"zorgvuldig zorgvuldig zorgvuldig zorgvuldig".repeat(20);
        let packed = miniz_oxide::deflate::compress_to_vec(&text, 6);
        let mut zip = write(&[Entry {
            name: "a.txt",
            data: &packed,
        }])
        .unwrap();
        // Turn the stored entry into a deflated one: method, CRC and size of the real text.
        let crc = crc32fast::hash(&text).to_le_bytes();
        let size = u32::try_from(text.len()).unwrap().to_le_bytes();
        let dir = zip.len() - 22 - (46 + 5);
        for (header, method_at) in [(0, 8), (dir, 10)] {
            zip[header + method_at..header + method_at + 2].copy_from_slice(&8u16.to_le_bytes());
            let crc_at = header + method_at + 6;
            zip[crc_at..crc_at + 4].copy_from_slice(&crc);
            zip[crc_at + 8..crc_at + 12].copy_from_slice(&size);
        }
        let files = read(&zip, 1 << 20).unwrap();
        assert_eq!(files[0].data, text);
    }
}
