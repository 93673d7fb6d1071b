//! Dates and days left as residents read and hear them: the day in the UK
//! (London time, British Summer Time included), as the web pages count
//! days, in English or Welsh. Texts, calls, letters and reminders use them.
use crate::domain::Language;
use chrono::{DateTime, Utc};

/// The calendar day of an instant in the UK (London time, with British
/// Summer Time), as residents and the web pages count days.
pub fn uk_day(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// A date as people write it, in `lang`: the day in the UK.
pub fn day(lang: Language, at: DateTime<Utc>) -> String {
    use chrono::Datelike;
    let w = super::of(lang);
    let at = uk_day(at);
    let month = w
        .months
        .split(' ')
        .nth(at.month0() as usize)
        .unwrap_or_default();
    super::fill(
        w.date,
        &[
            ("day", &at.day().to_string()),
            ("month", month),
            ("year", &at.year().to_string()),
        ],
    )
}

/// A month as people write it, in `lang`: "March 2027", "Mawrth 2027".
pub fn month(lang: Language, year: i32, month: u32) -> String {
    let w = super::of(lang);
    let name = w
        .months
        .split(' ')
        .nth(month.saturating_sub(1) as usize)
        .unwrap_or_default();
    format!("{name} {year}")
}

/// The UK calendar month before the one `now` is in: its year and month.
pub fn last_month(now: DateTime<Utc>) -> (i32, u32) {
    use chrono::Datelike;
    let today = uk_day(now);
    let last = today - chrono::Duration::days(i64::from(today.day()));
    (last.year(), last.month())
}

/// When a UK calendar month begins and ends: the London midnights of its
/// first day and of the next month's.
pub fn month_span(year: i32, month: u32) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    use chrono::TimeZone;
    let midnight = |y: i32, m: u32| {
        chrono_tz::Europe::London
            .with_ymd_and_hms(y, m, 1, 0, 0, 0)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Some((midnight(year, month)?, midnight(ny, nm)?))
}

/// How long is left to vote before `closes`, counted in UK calendar days
/// from `now`: "3 days left", "1 day left" or "voting closes today".
pub fn left(lang: Language, closes: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let w = super::of(lang);
    match (uk_day(closes) - uk_day(now)).num_days() {
        ..=0 => w.closes_today.to_owned(),
        1 => w.day_left.to_owned(),
        n => super::fill(w.days_left, &[("count", &n.to_string())]),
    }
}

#[cfg(test)]
mod month_tests {
    use super::*;

    #[test]
    fn last_month_is_the_uks() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // 23:30 UTC on 31 March is already 1 April in London.
        assert_eq!(last_month(at("2027-03-31T23:30:00Z")), (2027, 3));
        assert_eq!(last_month(at("2027-01-15T12:00:00Z")), (2026, 12));
        let (from, to) = month_span(2027, 3).unwrap();
        assert_eq!(from, at("2027-03-01T00:00:00Z"));
        // British Summer Time began on 28 March.
        assert_eq!(to, at("2027-03-31T23:00:00Z"));
        assert_eq!(month(Language::Cy, 2027, 3), "Mawrth 2027");
        assert_eq!(month(Language::En, 2026, 12), "December 2026");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_left_are_counted_in_calendar_days() {
        let at = |d: u32, h: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
                .and_utc()
        };
        let closes = at(12, 17);
        assert_eq!(left(Language::En, closes, at(12, 9)), "voting closes today");
        assert_eq!(left(Language::En, closes, at(11, 23)), "1 day left");
        assert_eq!(left(Language::En, closes, at(9, 18)), "3 days left");
        assert_eq!(left(Language::Cy, closes, at(9, 18)), "3 diwrnod ar ôl");
        assert_eq!(
            left(Language::Cy, closes, at(12, 1)),
            "mae pleidleisio'n cau heddiw"
        );
    }

    #[test]
    fn days_and_dates_are_the_uks_in_summer_time() {
        let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // 23:30 UTC on 10 June is 00:30 on 11 June in London (BST).
        let closes = utc("2026-06-10T23:30:00Z");
        assert_eq!(day(Language::En, closes), "11 June 2026");
        assert_eq!(day(Language::Cy, closes), "11 Mehefin 2026");
        // 23:10 UTC on 9 June is already 10 June in London: one day left.
        assert_eq!(
            left(Language::En, closes, utc("2026-06-09T23:10:00Z")),
            "1 day left"
        );
        assert_eq!(
            left(Language::En, closes, utc("2026-06-10T23:10:00Z")),
            "voting closes today"
        );
        // In winter London is on UTC.
        assert_eq!(
            day(Language::En, utc("2026-12-10T23:30:00Z")),
            "10 December 2026"
        );
    }
}
