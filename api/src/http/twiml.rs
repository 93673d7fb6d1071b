//! TwiML, the XML a Twilio-compatible gateway takes as the answer to a
//! webhook: `<Message>` for text replies, `<Say>`, `<Gather>`, `<Redirect>`
//! and `<Hangup>` for calls. The services decide what to say
//! (`service::phone::sms`, `service::phone::voice`); this edge writes it in
//! the gateway's markup.
//!
//! Built by hand: the few elements used here need only escaping, and no
//! maintained crate writes TwiML.
use crate::domain::Language;
use crate::service::phone::voice::{Action, Answer};

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

fn say(lang: Language, text: &str) -> String {
    let (voice, language) = match lang {
        Language::En => ("Polly.Amy", "en-GB"),
        Language::Cy => ("Polly.Gwyneth", "cy-GB"),
    };
    format!(
        "<Say voice=\"{voice}\" language=\"{language}\">{}</Say>",
        escape(text)
    )
}

/// What a call hears and does next. Keys are posted to `action`: a
/// `<Gather>` asks for `digits` keys, or any number ended by `#`; what is
/// said inside it is interrupted by the first key; when nothing is keyed
/// in time, the call comes back to `action` without `Digits`.
pub fn call(answer: &Answer, action: &str) -> String {
    let mut body = String::new();
    for step in &answer.actions {
        match step {
            Action::Say(lang, text) => body.push_str(&say(*lang, text)),
            Action::Ask { digits, prompts } => {
                let limit = match digits {
                    Some(n) => format!(" numDigits=\"{n}\""),
                    None => " finishOnKey=\"#\"".into(),
                };
                body.push_str(&format!(
                    "<Gather input=\"dtmf\" action=\"{}\" method=\"POST\" timeout=\"10\"{limit}>",
                    escape(action)
                ));
                for (lang, text) in prompts {
                    body.push_str(&say(*lang, text));
                }
                body.push_str("</Gather>");
                body.push_str(&format!(
                    "<Redirect method=\"POST\">{}</Redirect>",
                    escape(action)
                ));
            }
            Action::Hangup => body.push_str("<Hangup/>"),
        }
    }
    format!("{HEAD}<Response>{body}</Response>")
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
        let v = call(
            &Answer::default().ask(Some(1), vec![(Language::Cy, "Pwyswch 1".into())]),
            "https://x/phone/voice?a=1&b=2",
        );
        assert!(v.contains("action=\"https://x/phone/voice?a=1&amp;b=2\""));
        assert!(v.contains("language=\"cy-GB\""));
        assert!(v.contains("<Redirect method=\"POST\">"));
        let bye = call(&Answer::default().say(Language::En, "Bye").hangup(), "/x");
        assert!(bye.ends_with(
            "<Say voice=\"Polly.Amy\" language=\"en-GB\">Bye</Say><Hangup/></Response>"
        ));
    }
}
