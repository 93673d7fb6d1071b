//! Message templates, one folder per message with `subject.txt` and
//! `body.txt`, compiled into the binary.

pub struct Template {
    pub subject: &'static str,
    pub body: &'static str,
}

pub const SIGN_IN_CODE: Template = Template {
    subject: include_str!("../../templates/sign_in_code/subject.txt"),
    body: include_str!("../../templates/sign_in_code/body.txt"),
};

pub const VERIFICATION_CODE: Template = Template {
    subject: include_str!("../../templates/verification_code/subject.txt"),
    body: include_str!("../../templates/verification_code/body.txt"),
};

pub const GROUP_INVITATION: Template = Template {
    subject: include_str!("../../templates/group_invitation/subject.txt"),
    body: include_str!("../../templates/group_invitation/body.txt"),
};

pub const BID_REVIEWED: Template = Template {
    subject: include_str!("../../templates/bid_reviewed/subject.txt"),
    body: include_str!("../../templates/bid_reviewed/body.txt"),
};

pub const RESULT_PUBLISHED: Template = Template {
    subject: include_str!("../../templates/result_published/subject.txt"),
    body: include_str!("../../templates/result_published/body.txt"),
};

/// Text messages have no subject.
pub const VERIFICATION_CODE_SMS: Template = Template {
    subject: "",
    body: include_str!("../../templates/verification_code_sms/body.txt"),
};

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

impl Template {
    /// Replaces each `{{name}}` with its value.
    pub fn render(&self, values: &[(&str, &str)]) -> Rendered {
        let fill = |text: &str| {
            values.iter().fold(text.to_owned(), |acc, (k, v)| {
                acc.replace(&format!("{{{{{k}}}}}"), v)
            })
        };
        Rendered {
            subject: fill(self.subject.trim()),
            body: fill(self.body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_placeholder() {
        let r = SIGN_IN_CODE.render(&[("code", "123456"), ("minutes", "10")]);
        assert!(r.subject.contains("123456"));
        assert!(r.body.contains("123456") && r.body.contains("10 minutes"));
        assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
        let values = [("code", "123456"), ("minutes", "10"), ("round", "the Fund")];
        for t in [VERIFICATION_CODE, VERIFICATION_CODE_SMS] {
            let r = t.render(&values);
            assert!(r.body.contains("123456") && r.body.contains("the Fund"));
            assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
        }
        let values = [
            ("title", "Benches"),
            ("round", "the Fund"),
            ("outcome", "It is eligible."),
            ("link", "https://example.org/x"),
        ];
        for t in [BID_REVIEWED, RESULT_PUBLISHED] {
            let r = t.render(&values);
            assert!(r.body.contains("the Fund") && r.body.contains("https://example.org/x"));
            assert!(!r.body.contains("{{") && !r.subject.contains("{{"));
        }
        // One text message: at most 160 characters (GSM 7-bit) with a long
        // round title cut to fit.
        let sms = VERIFICATION_CODE_SMS.render(&values);
        assert!(sms.body.trim().len() <= 160, "{}", sms.body.len());
    }
}
