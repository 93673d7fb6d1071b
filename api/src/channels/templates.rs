//! Message templates, one folder per message with `subject.txt` and
//! `body.txt` in English and `subject.cy.txt` and `body.cy.txt` in Welsh,
//! compiled into the binary.
use crate::config::PhoneSettings;
use crate::domain::Language;

/// One message in both languages.
pub struct Template {
    pub en: Text,
    pub cy: Text,
}

pub struct Text {
    pub subject: &'static str,
    pub body: &'static str,
}

macro_rules! template {
    ($name:literal) => {
        Template {
            en: Text {
                subject: include_str!(concat!("../../templates/", $name, "/subject.txt")),
                body: include_str!(concat!("../../templates/", $name, "/body.txt")),
            },
            cy: Text {
                subject: include_str!(concat!("../../templates/", $name, "/subject.cy.txt")),
                body: include_str!(concat!("../../templates/", $name, "/body.cy.txt")),
            },
        }
    };
}

pub const SIGN_IN_CODE: Template = template!("sign_in_code");
pub const VERIFICATION_CODE: Template = template!("verification_code");
pub const GROUP_INVITATION: Template = template!("group_invitation");
pub const BID_REVIEWED: Template = template!("bid_reviewed");
pub const RESULT_PUBLISHED: Template = template!("result_published");
pub const CLOSE_CHECKPOINT: Template = template!("close_checkpoint");
pub const DELIVERY_UPDATE_APPROVED: Template = template!("delivery_update_approved");

pub const REMINDER_OPENS: Template = template!("reminder_opens");
pub const REMINDER_CLOSING: Template = template!("reminder_closing");
pub const REMINDER_RESULTS: Template = template!("reminder_results");
pub const REMINDER_DELIVERED: Template = template!("reminder_delivered");
pub const REMINDER_DIGEST: Template = template!("reminder_digest");
/// Letters: the subject is the letter's heading; the council's letter
/// template in GOV.UK Notify adds its address, logo and signature.
pub const REMINDER_OPENS_LETTER: Template = template!("reminder_letter_opens");
pub const REMINDER_CLOSING_LETTER: Template = template!("reminder_letter_closing");
pub const REMINDER_RESULTS_LETTER: Template = template!("reminder_letter_results");
pub const REMINDER_DELIVERED_LETTER: Template = template!("reminder_letter_delivered");
pub const REMINDER_DIGEST_LETTER: Template = template!("reminder_letter_digest");

macro_rules! sms_template {
    ($name:literal) => {
        Template {
            en: Text {
                subject: "",
                body: include_str!(concat!("../../templates/reminder_sms/", $name, ".txt")),
            },
            cy: Text {
                subject: "",
                body: include_str!(concat!("../../templates/reminder_sms/", $name, ".cy.txt")),
            },
        }
    };
}

pub const REMINDER_OPENS_SMS: Template = sms_template!("opens");
pub const REMINDER_CLOSING_SMS: Template = sms_template!("closing");
pub const REMINDER_RESULTS_SMS: Template = sms_template!("results");
pub const REMINDER_DELIVERED_SMS: Template = sms_template!("delivered");
pub const REMINDER_DIGEST_SMS: Template = sms_template!("digest");

/// Text messages have no subject.
pub const VERIFICATION_CODE_SMS: Template = Template {
    en: Text {
        subject: "",
        body: include_str!("../../templates/verification_code_sms/body.txt"),
    },
    cy: Text {
        subject: "",
        body: include_str!("../../templates/verification_code_sms/body.cy.txt"),
    },
};

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

impl Template {
    /// The message in `language`, each `{{name}}` replaced with its value,
    /// signed with the council's service: `{{service}}`, `{{council}}` and
    /// `{{help}}` come from `council`.
    pub fn render(
        &self,
        language: Language,
        council: &PhoneSettings,
        values: &[(&str, &str)],
    ) -> Rendered {
        let (text, service, name) = match language {
            Language::En => (&self.en, &council.service_name, &council.council_name),
            Language::Cy => (&self.cy, &council.service_name_cy, &council.council_name_cy),
        };
        let brand = [
            ("service", service.as_str()),
            ("council", name.as_str()),
            ("help", council.help_line.as_str()),
        ];
        let fill = |text: &str| {
            values
                .iter()
                .chain(&brand)
                .fold(text.to_owned(), |acc, (k, v)| {
                    acc.replace(&format!("{{{{{k}}}}}"), v)
                })
        };
        Rendered {
            subject: fill(text.subject.trim()),
            body: fill(text.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: [Language; 2] = [Language::En, Language::Cy];

    fn council() -> PhoneSettings {
        crate::config::Settings::from_lookup(|_| None)
            .unwrap()
            .phone
    }

    #[test]
    fn renders_every_placeholder_in_both_languages() {
        for lang in BOTH {
            let r = SIGN_IN_CODE.render(lang, &council(), &[("code", "123456"), ("minutes", "10")]);
            assert!(r.subject.contains("123456"));
            assert!(r.body.contains("123456") && r.body.contains("10 m"));
            assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
            let values = [("code", "123456"), ("minutes", "10"), ("round", "the Fund")];
            for t in [VERIFICATION_CODE, VERIFICATION_CODE_SMS] {
                let r = t.render(lang, &council(), &values);
                assert!(r.body.contains("123456") && r.body.contains("the Fund"));
                assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
            }
            let values = [
                ("group", "Friends"),
                ("days", "14"),
                ("link", "https://example.org/groups"),
            ];
            let r = GROUP_INVITATION.render(lang, &council(), &values);
            assert!(r.subject.contains("Friends") && r.body.contains("14"));
            assert!(r.body.contains("https://example.org/groups"));
            assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
            let values = [
                ("title", "Benches"),
                ("round", "the Fund"),
                ("outcome", "It is eligible."),
                ("link", "https://example.org/x"),
            ];
            for t in [BID_REVIEWED, RESULT_PUBLISHED] {
                let r = t.render(lang, &council(), &values);
                assert!(r.body.contains("the Fund") && r.body.contains("https://example.org/x"));
                assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
            }
            let values = [
                ("round", "the Fund"),
                ("checkpoint", "c0ffee"),
                ("signature", "5e1f"),
                (
                    "key_link",
                    "https://example.org/.well-known/fairshare-signing-key",
                ),
                ("link", "https://example.org/rounds/1/results"),
            ];
            let r = CLOSE_CHECKPOINT.render(lang, &council(), &values);
            assert!(r.subject.contains("the Fund"));
            assert!(r.body.contains("--checkpoint c0ffee") && r.body.contains("5e1f"));
            assert!(r.body.contains("/.well-known/") && r.body.contains("/rounds/1/results"));
            assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
            // One text message: at most 160 characters, all of them in the
            // GSM 7-bit alphabet (a curly apostrophe would halve the limit).
            let values = [
                ("code", "123456"),
                ("minutes", "15"),
                ("round", "Hyde Park Neighbourhood Fund 2026"),
            ];
            let sms = VERIFICATION_CODE_SMS.render(lang, &council(), &values);
            assert!(sms.body.trim().chars().count() <= 160, "{}", sms.body.len());
            assert!(sms.body.is_ascii(), "{}", sms.body);
        }
    }

    /// Reminders fill every placeholder; emails say how to stop them, texts
    /// say STOP, in the GSM alphabet (no curly apostrophes).
    #[test]
    fn reminders_say_how_to_stop_them() {
        let values = [
            ("round", "the Fund"),
            ("link", "https://example.org/rounds/1"),
            ("closes", "17 December 2026"),
            ("closes_sentence", " until 17 December 2026."),
            ("stop", "https://example.org/reminders/stop?s=1&t=ab"),
            ("title", "Benches on the Moor"),
            ("month", "March 2027"),
            ("count", "3"),
            ("updates", "Benches on the Moor: the benches are in."),
        ];
        for lang in BOTH {
            for t in [
                REMINDER_OPENS,
                REMINDER_CLOSING,
                REMINDER_DELIVERED,
                REMINDER_DIGEST,
                REMINDER_OPENS_LETTER,
                REMINDER_CLOSING_LETTER,
            ] {
                let r = t.render(lang, &council(), &values);
                assert!(r.body.contains("/reminders/stop?s=1&t=ab"), "{}", r.body);
                assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
            }
            for t in [
                REMINDER_OPENS_SMS,
                REMINDER_CLOSING_SMS,
                REMINDER_RESULTS_SMS,
                REMINDER_DELIVERED_SMS,
                REMINDER_DIGEST_SMS,
            ] {
                let r = t.render(lang, &council(), &values);
                assert!(!r.body.contains("{{"), "{}", r.body);
                assert!(r.body.is_ascii(), "{}", r.body);
            }
            for t in [
                REMINDER_OPENS_SMS,
                REMINDER_CLOSING_SMS,
                REMINDER_DELIVERED_SMS,
                REMINDER_DIGEST_SMS,
            ] {
                assert!(t.render(lang, &council(), &values).body.contains("STOP"));
            }
        }
    }

    /// Every message speaks for the council's service, by its name, and
    /// gives its help line: none names the software.
    #[test]
    fn messages_come_from_the_councils_service() {
        let council = council();
        let values = [
            ("code", "123456"),
            ("minutes", "10"),
            ("round", "the Fund"),
            ("group", "Friends"),
            ("days", "14"),
            ("title", "Benches"),
            ("outcome", "It is eligible."),
            ("link", "https://example.org/x"),
            ("checkpoint", "c0ffee"),
            ("signature", "5e1f"),
            ("key_link", "https://example.org/k"),
            ("closes", "17 December 2026"),
            ("closes_sentence", " until 17 December 2026."),
            ("stop", "https://example.org/reminders/stop?s=1&t=ab"),
            ("month", "March 2027"),
            ("count", "3"),
            ("updates", "Benches: the benches are in."),
        ];
        let all = [
            SIGN_IN_CODE,
            VERIFICATION_CODE,
            GROUP_INVITATION,
            BID_REVIEWED,
            RESULT_PUBLISHED,
            CLOSE_CHECKPOINT,
            DELIVERY_UPDATE_APPROVED,
            VERIFICATION_CODE_SMS,
            REMINDER_OPENS,
            REMINDER_CLOSING,
            REMINDER_RESULTS,
            REMINDER_OPENS_SMS,
            REMINDER_CLOSING_SMS,
            REMINDER_RESULTS_SMS,
            REMINDER_OPENS_LETTER,
            REMINDER_CLOSING_LETTER,
            REMINDER_RESULTS_LETTER,
            REMINDER_DELIVERED,
            REMINDER_DIGEST,
            REMINDER_DELIVERED_SMS,
            REMINDER_DIGEST_SMS,
            REMINDER_DELIVERED_LETTER,
            REMINDER_DIGEST_LETTER,
        ];
        for (i, t) in all.iter().enumerate() {
            for lang in BOTH {
                let r = t.render(lang, &council, &values);
                let text = format!("{}\n{}", r.subject, r.body);
                assert!(!text.contains("Fairshare"), "{i} {lang:?}: {text}");
                let name = match lang {
                    Language::En => &council.council_name,
                    Language::Cy => &council.council_name_cy,
                };
                assert!(text.contains(name.as_str()), "{i} {lang:?}: {text}");
                if t.en.subject.is_empty() {
                    continue;
                }
                let service = match lang {
                    Language::En => &council.service_name,
                    Language::Cy => &council.service_name_cy,
                };
                assert!(text.contains(service.as_str()), "{i} {lang:?}: {text}");
                assert!(text.contains(&council.help_line), "{i} {lang:?}: {text}");
            }
        }
    }

    #[test]
    fn welsh_is_welsh() {
        let r = SIGN_IN_CODE.render(
            Language::Cy,
            &council(),
            &[("code", "123456"), ("minutes", "10")],
        );
        assert!(r.subject.starts_with("Eich cod mewngofnodi"));
        assert!(r.body.contains("10 munud"));
    }
}
