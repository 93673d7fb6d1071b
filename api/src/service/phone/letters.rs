//! Voting-code letters: a PDF for mail merge (one A4 page per person in
//! English and, where the council offers it, a second in Welsh: the two
//! sides of one sheet), in clear print (body text 14 points), made with
//! `printpdf`, and a CSV of the same for a print supplier.
use super::day;
use super::phrases::example;
use crate::config::Settings;
use crate::domain::{ballot::BallotKind, Language};
use crate::error::{ServiceError, ServiceResult};
use crate::service::rounds::Round;
use crate::words::{self, fill};
use printpdf::{CustomPdfConformance, Mm, PdfConformance, PdfDocument};

/// DejaVu Sans: a free font with every letter Welsh needs (ŵ, ŷ, â…).
static FONT: &[u8] = include_bytes!("../../../assets/DejaVuSans.ttf");

/// One person's letter.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Letter {
    /// The council's reference for the person's verification record.
    pub reference: String,
    pub name: Option<String>,
    pub address: Vec<String>,
    pub area: String,
    /// The area's name in Welsh, where the council gave one.
    #[serde(default)]
    pub area_cy: Option<String>,
    /// The code as printed.
    pub code: String,
}

/// What every letter of a batch says.
#[derive(Clone, Debug)]
pub struct Words {
    pub council: String,
    pub council_cy: String,
    pub round: String,
    pub round_cy: String,
    pub kind: BallotKind,
    pub closes: Option<chrono::DateTime<chrono::Utc>>,
    pub sms_number: String,
    pub voice_number: String,
    pub help_line: String,
    pub web: String,
    pub welsh: bool,
}

impl Words {
    pub fn from_settings(settings: &Settings, round: &Round) -> Self {
        let p = &settings.phone;
        Words {
            council: p.council_name.clone(),
            council_cy: p.council_name_cy.clone(),
            round: round.title.clone(),
            round_cy: round.title_in(Language::Cy).to_owned(),
            kind: round.ballot.kind,
            closes: round.schedule.voting_closes_at,
            sms_number: p.sms_number.clone(),
            voice_number: p.voice_number.clone(),
            help_line: p.help_line.clone(),
            web: format!("{}/rounds/{}", settings.public_url, round.id),
            welsh: p.welsh,
        }
    }
}

/// Body text, in points.
const BODY: f32 = 14.0;
/// Headings, in points.
const HEADING: f32 = 16.0;

/// The lines of one language's page of a letter: (font size, text).
fn body(words: &Words, letter: &Letter, lang: Language) -> Vec<(f32, String)> {
    let w = words::of(lang);
    let (ex, means) = example(lang, words.kind);
    let code = letter.code.as_str();
    let (round, area) = match lang {
        Language::En => (&words.round, &letter.area),
        Language::Cy => (
            &words.round_cy,
            letter.area_cy.as_ref().unwrap_or(&letter.area),
        ),
    };
    let closes = match words.closes {
        Some(c) => fill(w.letter_closes_on, &[("day", &day(lang, c))]),
        None => w.letter_closes.into(),
    };
    // Clear print: body text at 14 points, headings larger (RNIB's clear
    // print guidance asks for 12 to 14).
    vec![
        (HEADING + 2.0, fill(w.letter_title, &[("round", round)])),
        (BODY, fill(w.letter_intro, &[("area", area)])),
        (BODY, w.letter_code_label.into()),
        (HEADING + 4.0, code.to_owned()),
        (BODY, closes),
        (BODY, w.letter_keep_safe.into()),
        (HEADING, w.letter_by_phone.into()),
        (
            BODY,
            fill(w.letter_call, &[("voice_number", &words.voice_number)]),
        ),
        (HEADING, w.letter_by_text.into()),
        (
            BODY,
            fill(
                w.letter_text_bids,
                &[("code", code), ("sms_number", &words.sms_number)],
            ),
        ),
        (
            BODY,
            fill(
                w.letter_text_vote,
                &[("code", code), ("example", ex), ("means", means)],
            ),
        ),
        (HEADING, w.letter_online.into()),
        (BODY, fill(w.letter_read_about, &[("web", &words.web)])),
        (BODY, fill(w.letter_help, &[("help", &words.help_line)])),
        (
            BODY,
            fill(
                w.letter_after_close,
                &[
                    ("help", &words.help_line),
                    ("web", &format!("{}/results", words.web)),
                ],
            ),
        ),
        (
            BODY,
            fill(w.letter_large_print, &[("help", &words.help_line)]),
        ),
    ]
}

/// Breaks a line to fit `width` millimetres at `size` points (DejaVu Sans
/// averages about 0.55 em a character).
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let per_line = ((width / (size * 0.3528 * 0.55)) as usize).max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn failed(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Unexpected(anyhow::anyhow!("printing letters: {e}"))
}

/// Where the address goes on a letter's first side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Under the council's name, for a window envelope of the council's
    /// own printing.
    Print,
    /// In GOV.UK Notify's address block (24.6 mm from the left, 50.3 mm
    /// from the top, for its envelopes' window), with the letter's text
    /// starting below the block, as Notify's precompiled letters must.
    Post,
}

/// Notify's address block: its left edge and top, in mm from the page's
/// left and top.
const POST_ADDRESS_LEFT: f32 = 24.6;
const POST_ADDRESS_TOP: f32 = 50.3;
/// Where the text starts below the address block, from the top.
const POST_TEXT_TOP: f32 = 95.0;

/// The letters as one PDF, a page each.
pub fn pdf(words: &Words, letters: &[Letter]) -> ServiceResult<Vec<u8>> {
    render(words, letters, Layout::Print)
}

/// One letter as its own PDF, to post through GOV.UK Notify as a
/// precompiled letter. Refused for a letter without a name and address.
pub fn pdf_for_post(words: &Words, letter: &Letter) -> ServiceResult<Vec<u8>> {
    postable(letter).map_err(failed)?;
    render(words, std::slice::from_ref(letter), Layout::Post)
}

/// The longest address line Notify's address block holds in 9 point.
pub const POST_LINE_CHARS: usize = 50;

/// Whether a letter can be posted as it is: a name and an address, each
/// line short enough for the address block. Why not, otherwise.
pub fn postable(letter: &Letter) -> Result<(), String> {
    if letter.name.is_none() || letter.address.is_empty() {
        return Err(format!("{} has no name and address", letter.reference));
    }
    if let Some(long) = letter
        .name
        .iter()
        .chain(&letter.address)
        .find(|l| l.chars().count() > POST_LINE_CHARS)
    {
        return Err(format!(
            "{}'s address has a line longer than {POST_LINE_CHARS} characters (\"{}…\"): shorten it in the names-and-addresses file",
            letter.reference,
            long.chars().take(20).collect::<String>()
        ));
    }
    Ok(())
}

fn render(words: &Words, letters: &[Letter], layout: Layout) -> ServiceResult<Vec<u8>> {
    const WIDTH: f32 = 210.0;
    const HEIGHT: f32 = 297.0;
    const LEFT: f32 = 20.0;
    let (doc, first_page, first_layer) = PdfDocument::new(
        fill(
            words::of(Language::En).letter_document_title,
            &[("round", &words.round)],
        ),
        Mm(WIDTH),
        Mm(HEIGHT),
        "letter",
    );
    // Plain PDF: no ICC profile or XMP metadata needed for printing.
    let doc = doc.with_conformance(PdfConformance::Custom(CustomPdfConformance {
        requires_icc_profile: false,
        requires_xmp_metadata: false,
        ..Default::default()
    }));
    let font = doc.add_external_font(FONT).map_err(failed)?;
    let langs: &[Language] = if words.welsh {
        &[Language::En, Language::Cy]
    } else {
        &[Language::En]
    };
    let council = if words.welsh {
        format!("{} / {}", words.council, words.council_cy)
    } else {
        words.council.clone()
    };
    let mut first = Some((first_page, first_layer));
    for letter in letters {
        // A page for each language (the two sides of one sheet), so that
        // both are in clear print.
        for (n, lang) in langs.iter().enumerate() {
            let layer = match first.take() {
                Some((page, layer)) => doc.get_page(page).get_layer(layer),
                None => {
                    let (page, layer) = doc.add_page(Mm(WIDTH), Mm(HEIGHT), "letter");
                    doc.get_page(page).get_layer(layer)
                }
            };
            let mut y = HEIGHT - 20.0;
            let put = |size: f32, text: &str, y: &mut f32| {
                for line in wrap(text, size, WIDTH - 2.0 * LEFT) {
                    *y -= size * 0.3528 * 1.35;
                    layer.use_text(line, size, Mm(LEFT), Mm(*y), &font);
                }
            };
            put(BODY, &council, &mut y);
            put(
                12.0,
                &fill(
                    words::of(Language::En).letter_reference,
                    &[("reference", &letter.reference)],
                ),
                &mut y,
            );
            y -= 4.0;
            // The address, for the envelope's window, on the first side.
            if n == 0 && layout == Layout::Post {
                // Seven lines of 9 point, set close, fill the block's
                // 26.8 mm.
                y = HEIGHT - POST_ADDRESS_TOP;
                for line in letter.name.iter().chain(&letter.address).take(7) {
                    y -= 9.0 * 0.3528 * 1.2;
                    layer.use_text(line, 9.0, Mm(POST_ADDRESS_LEFT), Mm(y), &font);
                }
                y = HEIGHT - POST_TEXT_TOP;
            } else if n == 0 {
                if let Some(name) = &letter.name {
                    put(12.0, name, &mut y);
                }
                for line in &letter.address {
                    put(12.0, line, &mut y);
                }
                y -= 6.0;
            }
            for (size, text) in body(words, letter, *lang) {
                if size > BODY {
                    y -= 1.5;
                }
                put(size, &text, &mut y);
            }
            // A side that ran off the paper would lose its last lines.
            if y < 10.0 {
                return Err(failed("a letter does not fit on its page"));
            }
        }
    }
    doc.save_to_bytes().map_err(failed)
}

/// The letters as CSV for a print supplier: one row a person.
pub fn csv(words: &Words, letters: &[Letter]) -> ServiceResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "reference",
        "name",
        "address_1",
        "address_2",
        "address_3",
        "address_4",
        "address_5",
        "address_6",
        "round",
        "area",
        "voting_code",
        "text_number",
        "phone_number",
        "help_line",
        "web_address",
        "voting_closes",
    ];
    w.write_record(header).map_err(failed)?;
    for l in letters {
        let mut row: Vec<String> = vec![l.reference.clone(), l.name.clone().unwrap_or_default()];
        for i in 0..6 {
            row.push(l.address.get(i).cloned().unwrap_or_default());
        }
        row.extend([
            words.round.clone(),
            l.area.clone(),
            l.code.clone(),
            words.sms_number.clone(),
            words.voice_number.clone(),
            words.help_line.clone(),
            words.web.clone(),
            words
                .closes
                .map(|c| super::uk_day(c).format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        ]);
        w.write_record(&row).map_err(failed)?;
    }
    let bytes = w.into_inner().map_err(failed)?;
    String::from_utf8(bytes).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_words() {
        let lines = wrap(&"word ".repeat(60), 10.0, 170.0);
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| !l.starts_with(' ') && !l.ends_with(' ')));
        assert_eq!(lines.join(" "), "word ".repeat(60).trim());
    }
}
