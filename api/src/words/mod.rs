//! Every word a person reads or hears from the phone channels (text-message
//! replies, what a keypad call says, the voting-code letters), the count
//! explained in words, and the sentences that email to groups is built
//! from, in English (`en.rs`) and Welsh (`cy.rs`): one typed dictionary, so that the two
//! languages cannot have different entries (the compiler checks the keys)
//! and a test checks that each entry has the same placeholders in both.
//! Email lives in `api/templates/` (`channels::templates`), one file per
//! message, since an email is one text; here a reply is built from many
//! small sentences.
//!
//! A placeholder is a name in braces, `{round}`, filled by `fill`.
use crate::domain::Language;

mod cy;
pub mod dates;
mod en;

macro_rules! dictionary {
    ($($(#[doc = $doc:literal])* $key:ident,)*) => {
        /// The words of one language. Each entry is a sentence or a part of
        /// one, with `{name}` placeholders.
        pub struct Words {
            $($(#[doc = $doc])* pub $key: &'static str,)*
        }

        impl Words {
            /// Every entry, by name: for tests and checks.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key)),*]
            }
        }
    };
}

dictionary! {
    // Dates.
    /// The months, January to December, separated by spaces.
    months,
    /// A date: `{day}`, `{month}`, `{year}`.
    date,

    // Refusals of a ballot, said in words of our own where the service's
    // English message is not used.
    something_went_wrong,
    refusal_too_many_choices,
    refusal_too_few_choices,
    refusal_over_budget,
    refusal_duplicate_rank,
    refusal_score_out_of_range,
    refusal_points_exceed_limit,
    refusal_bid_not_in_pot,
    refusal_voting_closed,
    refusal_not_eligible,
    refusal_not_verified,
    refusal_already_voted,
    refusal_rate_limited,
    refusal_other,

    // Why there is no ballot for someone now (texts and calls).
    no_ballot_not_open,
    no_ballot_closed,
    no_ballot_not_verified,
    no_ballot_not_eligible,

    // A ballot's rules, and how to read it back.
    limit_up_to,
    limit_at_least,
    limit_pot,
    limit_scores,
    limit_points,
    limit_points_per_bid,
    limit_money,
    project,
    read_back_ranked,
    read_back_money,
    read_back_score,
    read_back_points,
    channel_web,
    channel_sms,
    channel_phone,
    channel_council,
    until_day,
    until_close,
    /// How long is left to vote: `{count}` days, one day, or closing today.
    days_left,
    day_left,
    closes_today,
    /// A letter of a receipt read aloud with its word in the NATO phonetic
    /// alphabet: `{letter}`, `{word}`.
    spoken_letter,
    /// A receipt's group of four: `{number}`, `{characters}`.
    spoken_group,
    replaces_earlier,

    // Examples of a text-message vote, and what they mean.
    example_choose,
    example_rank,
    example_score,
    example_points,
    example_money,
    example_choose_means,
    example_rank_means,
    example_score_means,
    example_points_means,
    example_money_means,

    // Text messages.
    sms_how_to,
    sms_what_choose,
    sms_what_rank,
    sms_what_score,
    sms_what_points,
    sms_what_money,
    sms_welsh_hint,
    sms_general_help,
    sms_unknown_phone,
    sms_not_verified_help,
    sms_not_eligible_help,
    sms_code_malformed,
    sms_code_unknown,
    sms_several_voters,
    sms_hello,
    sms_help,
    sms_not_understood,
    sms_reminders_set,
    sms_reminders_stopped,
    sms_reminders_none,
    sms_bids_heading,
    sms_bid_line,
    sms_status_voted,
    sms_status_not_voted,
    sms_works_differently,
    sms_no_numbers,
    sms_unreadable,
    sms_mixed,
    sms_no_such_bid,
    sms_refusal_help,
    sms_recorded,

    // A keypad call.
    voice_failed,
    voice_choose_language,
    voice_press_language,
    voice_welcome,
    voice_enter_code,
    voice_confirm,
    voice_receipt,
    voice_introduction,
    voice_closes,
    voice_after_close,
    voice_project,
    voice_how_rank,
    voice_how_score,
    voice_how_choose,
    voice_instructions,
    voice_goodbye,
    voice_sorry,
    voice_silence,
    voice_code_length,
    voice_code_unknown,
    voice_no_keypad,
    voice_keys_unread,
    voice_one_key_each,
    voice_no_such_project,
    voice_you_chose,
    voice_recorded,
    voice_press_1_or_2,
    voice_thanks,

    // Voting-code letters.
    letter_document_title,
    letter_reference,
    letter_title,
    letter_intro,
    letter_code_label,
    letter_closes_on,
    letter_closes,
    letter_keep_safe,
    letter_by_phone,
    letter_call,
    letter_by_text,
    letter_text_bids,
    letter_text_vote,
    letter_online,
    letter_read_about,
    letter_help,
    letter_large_print,
    letter_after_close,
    // Email to groups: a bid's review, and the published result.
    review_eligible,
    review_ineligible,
    review_changes_requested,
    review_reason,
    result_line,
    result_funded,
    result_not_funded,

    // The count explained (results pages and the API's explanation).
    explain_bid,
    explain_stage,
    explain_equal_shares,
    explain_step,
    explain_funded,
    explain_phase,
    explain_not_funded,
    explain_stopped,
    // What `tally` writes about a bid or a count's end, in words.
    term_skipped_does_not_fit,
    term_does_not_fit_count_stops,
    term_below_threshold,
    term_not_considered,
    term_single_run,
    term_raising_would_overspend,
    term_first_run_overspends,
    term_outcome_exhaustive,
    term_every_supported_funded,
    term_elected,
    term_excluded,
    term_eliminated,
    term_surplus_transferred,
    term_first_preferences,

    // Council rules in the count: how a step under one is told, and the
    // rules themselves in words.
    explain_funded_first,
    explain_funded_for_minimum,
    explain_minimum_not_met,
    why_below_min_votes,
    why_exclusive,
    why_over_maximum,
    why_held_back,
    limit_category,
    rules_share_of_pot,
    rules_category_max,
    rules_category_min,
    rules_area_max,
    rules_area_min,
    rules_min_votes,
    rules_min_share,
    rules_exclusive,
    rules_must_fund,
}

/// The words of `language`.
pub fn of(language: Language) -> &'static Words {
    match language {
        Language::En => &en::EN,
        Language::Cy => &cy::CY,
    }
}

/// `text` with each `{name}` replaced by its value, in one pass (a value
/// that contains braces is left as it is). A placeholder with no value
/// stays, which the dictionary's test makes impossible for our own words.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of `text`, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_entries_and_placeholders() {
        let (en, cy) = (of(Language::En).entries(), of(Language::Cy).entries());
        assert_eq!(en.len(), cy.len());
        for ((key, english), (same, welsh)) in en.iter().zip(&cy) {
            assert_eq!(key, same);
            assert_eq!(
                placeholders(english),
                placeholders(welsh),
                "{key}: the same placeholders in English and Welsh"
            );
            assert!(
                !english.trim().is_empty() || *key == "sms_welsh_hint",
                "{key} is written in English"
            );
        }
        for words in [of(Language::En), of(Language::Cy)] {
            assert_eq!(words.months.split(' ').count(), 12);
        }
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("Voting in {round} has closed.", &[("round", "the {Fund}")]),
            "Voting in the {Fund} has closed."
        );
        assert_eq!(fill("{a}{b} {c}", &[("a", "1"), ("b", "2")]), "12 {c}");
        assert_eq!(fill("no end {", &[]), "no end {");
        assert_eq!(placeholders("{b} and {a} and {b}"), vec!["a", "b"]);
    }
}
