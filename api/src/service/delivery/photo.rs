//! Photos of a delivery update, made safe on upload: the type is read from
//! the bytes (never the name), the image is decoded within limits (so a
//! small file that claims to be enormous is refused before it is
//! unpacked), turned the way its EXIF says, shrunk to at most
//! `LONGEST_SIDE` pixels, and written afresh as JPEG (PNG when it has
//! transparency). The new file carries nothing of the original's metadata:
//! no EXIF, no location, no camera. The `image` crate does the decoding and
//! encoding.
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Photos an update may carry.
pub const MAX_PHOTOS: usize = 4;
/// The longest side of a stored photo, in pixels.
pub const LONGEST_SIDE: u32 = 1600;
/// The largest image decoded, each way, in pixels.
const LARGEST_DECODED: u32 = 12_000;

/// A photo as stored.
#[derive(Clone, Debug)]
pub struct Processed {
    pub content_type: &'static str,
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub sha256: String,
}

/// Reads, checks and re-encodes an uploaded photo. The error says what is
/// wrong in words for the person who chose the file.
pub fn process(bytes: &[u8]) -> Result<Processed, String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(format!(
            "the file is {:.1} MB: a photo can be at most 5 MB",
            bytes.len() as f64 / 1_048_576.0
        ));
    }
    let format = image::guess_format(bytes)
        .ok()
        .filter(|f| matches!(f, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP))
        .ok_or("the file is not a JPEG, PNG or WebP image")?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(LARGEST_DECODED);
    limits.max_image_height = Some(LARGEST_DECODED);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let unreadable = |_| "the image could not be read: it may be damaged, or too large".to_string();
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    if img.width() > LONGEST_SIDE || img.height() > LONGEST_SIDE {
        img = img.resize(
            LONGEST_SIDE,
            LONGEST_SIDE,
            image::imageops::FilterType::Triangle,
        );
    }
    let mut data = Vec::new();
    let content_type = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut Cursor::new(&mut data), ImageFormat::Png)
            .map_err(|_| "the image could not be saved".to_string())?;
        "image/png"
    } else {
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, 85)
            .encode_image(&rgb)
            .map_err(|_| "the image could not be saved".to_string())?;
        "image/jpeg"
    };
    Ok(Processed {
        content_type,
        sha256: tally::canonical::sha256_hex(&data),
        width: img.width(),
        height: img.height(),
        data,
    })
}

/// Photos for tests: a JPEG, and the same with a phone's EXIF block.
#[cfg(any(test, feature = "test-support"))]
pub mod samples {
    use image::DynamicImage;

    /// A photo as a camera writes it, without metadata.
    pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&DynamicImage::ImageRgb8(img))
            .unwrap();
        out
    }

    /// An EXIF block (APP1) with a GPS position and a camera's name, put in
    /// after the JPEG's start, as a phone writes one.
    pub fn with_location(jpeg: &[u8]) -> Vec<u8> {
        // TIFF, little-endian: IFD0 with Make and a pointer to the GPS IFD.
        let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
        let make = b"FairsharePhone\0";
        // IFD0: 2 entries, at 8; its values follow.
        let ifd0_len = 2 + 2 * 12 + 4;
        let make_at = 8 + ifd0_len;
        let gps_at = make_at + make.len() as u32;
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&0x010Fu16.to_le_bytes()); // Make
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&(make.len() as u32).to_le_bytes());
        tiff.extend_from_slice(&make_at.to_le_bytes());
        tiff.extend_from_slice(&0x8825u16.to_le_bytes()); // GPS IFD
        tiff.extend_from_slice(&4u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&gps_at.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(make);
        // GPS IFD: latitude N 53/1 48/1 2345/100.
        let rationals_at = gps_at + 2 + 2 * 12 + 4;
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&1u16.to_le_bytes()); // GPSLatitudeRef
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&2u32.to_le_bytes());
        tiff.extend_from_slice(b"N\0\0\0");
        tiff.extend_from_slice(&2u16.to_le_bytes()); // GPSLatitude
        tiff.extend_from_slice(&5u16.to_le_bytes());
        tiff.extend_from_slice(&3u32.to_le_bytes());
        tiff.extend_from_slice(&rationals_at.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        for (n, d) in [(53u32, 1u32), (48, 1), (2345, 100)] {
            tiff.extend_from_slice(&n.to_le_bytes());
            tiff.extend_from_slice(&d.to_le_bytes());
        }
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{jpeg, with_location};
    use super::*;

    fn has(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_photo_comes_back_without_its_location_and_no_larger_than_allowed() {
        let original = with_location(&jpeg(2400, 1200));
        assert!(has(&original, b"Exif\0\0") && has(&original, b"FairsharePhone"));
        let p = process(&original).unwrap();
        assert_eq!(p.content_type, "image/jpeg");
        assert_eq!((p.width, p.height), (1600, 800));
        assert!(!has(&p.data, b"Exif"), "no EXIF block");
        assert!(!has(&p.data, b"FairsharePhone"), "no camera");
        assert!(!has(&p.data, &2345u32.to_le_bytes()), "no position");
        // The stored photo is still a JPEG anyone can open.
        let back = image::load_from_memory(&p.data).unwrap();
        assert_eq!((back.width(), back.height()), (1600, 800));
    }

    #[test]
    fn what_is_not_a_photo_or_is_too_large_is_refused_in_words() {
        assert_eq!(
            process(b"%PDF-1.7 not a photo").unwrap_err(),
            "the file is not a JPEG, PNG or WebP image"
        );
        assert_eq!(process(b"").unwrap_err(), "the file is empty");
        // A GIF is an image, but not one of the kinds taken.
        assert_eq!(
            process(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap_err(),
            "the file is not a JPEG, PNG or WebP image"
        );
        let mut big = jpeg(16, 16);
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        assert!(process(&big).unwrap_err().contains("at most 5 MB"));
        // A JPEG's start with nothing after it.
        assert!(process(&jpeg(16, 16)[..40])
            .unwrap_err()
            .starts_with("the image could not be read"));
        // A PNG that claims to be 100,000 pixels wide is refused before it
        // is unpacked.
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::new(4, 4))
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(process(&png).is_err());
    }

    #[test]
    fn transparent_pngs_stay_png_and_webp_is_read() {
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(image::RgbaImage::new(10, 20))
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let p = process(&png).unwrap();
        assert_eq!((p.content_type, p.width, p.height), ("image/png", 10, 20));
        let mut webp = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::new(30, 10))
            .write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP)
            .unwrap();
        let p = process(&webp).unwrap();
        assert_eq!((p.content_type, p.width, p.height), ("image/jpeg", 30, 10));
    }
}
