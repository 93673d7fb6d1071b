//! TwiML, the XML a Twilio-compatible gateway takes as the answer to a
//! webhook: `<Message>` for text replies, `<Say>`, `<Gather>`, `<Redirect>`
//! and `<Hangup>` for calls.
//!
//! Built by hand: the few elements used here need only escaping, and no
//! maintained crate writes TwiML.
use super::Lang;

/// Escapes text for an XML element or attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// A reply of one or more text messages.
pub fn messages(parts: &[String]) -> String {
    let mut out = format!("{HEAD}<Response>");
    for p in parts {
        out.push_str("<Message>");
        out.push_str(&escape(p));
        out.push_str("</Message>");
    }
    out.push_str("</Response>");
    out
}

/// What a call hears and does next.
#[derive(Debug, Default)]
pub struct Voice {
    body: String,
}

impl Voice {
    pub fn new() -> Self {
        Self::default()
    }

    fn say_xml(lang: Lang, text: &str) -> String {
        let (voice, language) = match lang {
            Lang::En => ("Polly.Amy", "en-GB"),
            Lang::Cy => ("Polly.Gwyneth", "cy-GB"),
        };
        format!(
            "<Say voice=\"{voice}\" language=\"{language}\">{}</Say>",
            escape(text)
        )
    }

    pub fn say(mut self, lang: Lang, text: &str) -> Self {
        self.body.push_str(&Self::say_xml(lang, text));
        self
    }

    /// Asks for keypad input, posted to `action`: `num_digits` keys, or
    /// any number ended by `#`. What is said inside is interrupted by the
    /// first key. When nothing is entered in time, the call is sent back to
    /// `action` without `Digits`.
    pub fn gather(
        mut self,
        action: &str,
        num_digits: Option<u32>,
        prompts: &[(Lang, String)],
    ) -> Self {
        let limit = match num_digits {
            Some(n) => format!(" numDigits=\"{n}\""),
            None => " finishOnKey=\"#\"".into(),
        };
        self.body.push_str(&format!(
            "<Gather input=\"dtmf\" action=\"{}\" method=\"POST\" timeout=\"10\"{limit}>",
            escape(action)
        ));
        for (lang, text) in prompts {
            self.body.push_str(&Self::say_xml(*lang, text));
        }
        self.body.push_str("</Gather>");
        self.body.push_str(&format!(
            "<Redirect method=\"POST\">{}</Redirect>",
            escape(action)
        ));
        self
    }

    pub fn hangup(mut self) -> Self {
        self.body.push_str("<Hangup/>");
        self
    }

    pub fn finish(self) -> String {
        format!("{HEAD}<Response>{}</Response>", self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            messages(&["Fish & <chips> \"here\"".into()]),
            format!("{HEAD}<Response><Message>Fish &amp; &lt;chips&gt; &quot;here&quot;</Message></Response>")
        );
        let v = Voice::new()
            .gather(
                "https://x/phone/voice?a=1&b=2",
                Some(1),
                &[(Lang::Cy, "Pwyswch 1".into())],
            )
            .finish();
        assert!(v.contains("action=\"https://x/phone/voice?a=1&amp;b=2\""));
        assert!(v.contains("language=\"cy-GB\""));
        assert!(v.contains("<Redirect method=\"POST\">"));
    }
}
