//! The languages Fairshare speaks: English and Welsh. Each account keeps
//! one, and every email and text message to that person is written in it.
use std::str::FromStr;

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Cy,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Cy => "cy",
        }
    }

    /// Of something written in English and perhaps in Welsh, the words to
    /// use in this language: the Welsh where there is one.
    pub fn pick<'a>(self, en: &'a str, cy: Option<&'a str>) -> &'a str {
        match (self, cy) {
            (Language::Cy, Some(cy)) => cy,
            _ => en,
        }
    }

    /// The stored value, read leniently: anything but `cy` is English.
    pub fn from_stored(s: &str) -> Self {
        s.parse().unwrap_or_default()
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Language::En),
            "cy" => Ok(Language::Cy),
            other => Err(format!("unknown language `{other}`: use en or cy")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for l in [Language::En, Language::Cy] {
            assert_eq!(l.as_str().parse::<Language>(), Ok(l));
        }
        assert!("fr".parse::<Language>().is_err());
        assert_eq!(Language::from_stored("cy"), Language::Cy);
        assert_eq!(Language::from_stored(""), Language::En);
    }
}
