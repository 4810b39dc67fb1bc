//! A minimal zip writer: stored (uncompressed) entries, enough for DOCX containers.

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
}
