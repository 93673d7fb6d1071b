//! Errors that services return. Expected refusals carry a stable machine code
//! and a message meant for the person using the service; anything unexpected
//! is logged once, at the boundary, and shown only as `INTERNAL`.
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    NotAuthorised,
    NotFound,
    InvalidInput,
    InvalidEmail,
    InvalidPostcode,
    InvalidCode,
    CodeExpired,
    TooManyAttempts,
    RateLimited,
    PhaseClosed,
    SettingsFrozen,
    BidCostExceedsPot,
    InvalidTransition,
    AreaNotInRound,
    NameTaken,
    NotInArea,
    TooYoung,
    AlreadyVerifiedElsewhere,
    /// An officer's in-person check of someone who started online: the
    /// reference from their screen (or their email address) is needed.
    StartedOnline,
    RegisterNoMatch,
    InvalidPhone,
    MethodNotAccepted,
    RelationNotAccepted,
    NotDeclared,
    InvalidRegisterFile,
    InvalidPopulationFile,
    ScheduleInPast,
    ScheduleOutOfOrder,
    BidsUndecided,
    NotCounted,
    ConflictOfInterest,
    VerificationHeld,
    LastMember,
    LastAdmin,
    Timeout,
    TooManyChoices,
    TooFewChoices,
    OverBudget,
    DuplicateRank,
    ScoreOutOfRange,
    PointsExceedLimit,
    BidNotInPot,
    VotingClosed,
    NotEligible,
    NotVerified,
    AlreadyVoted,
    CountFailed,
    LettersNotPrinted,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::NotAuthorised => "NOT_AUTHORISED",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::InvalidEmail => "INVALID_EMAIL",
            ErrorCode::InvalidPostcode => "INVALID_POSTCODE",
            ErrorCode::InvalidCode => "INVALID_CODE",
            ErrorCode::CodeExpired => "CODE_EXPIRED",
            ErrorCode::TooManyAttempts => "TOO_MANY_ATTEMPTS",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::PhaseClosed => "PHASE_CLOSED",
            ErrorCode::SettingsFrozen => "SETTINGS_FROZEN",
            ErrorCode::BidCostExceedsPot => "BID_COST_EXCEEDS_POT",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::AreaNotInRound => "AREA_NOT_IN_ROUND",
            ErrorCode::NameTaken => "NAME_TAKEN",
            ErrorCode::NotInArea => "NOT_IN_AREA",
            ErrorCode::TooYoung => "TOO_YOUNG",
            ErrorCode::AlreadyVerifiedElsewhere => "ALREADY_VERIFIED_ELSEWHERE",
            ErrorCode::StartedOnline => "STARTED_ONLINE",
            ErrorCode::RegisterNoMatch => "REGISTER_NO_MATCH",
            ErrorCode::InvalidPhone => "INVALID_PHONE",
            ErrorCode::MethodNotAccepted => "METHOD_NOT_ACCEPTED",
            ErrorCode::RelationNotAccepted => "RELATION_NOT_ACCEPTED",
            ErrorCode::NotDeclared => "NOT_DECLARED",
            ErrorCode::InvalidRegisterFile => "INVALID_REGISTER_FILE",
            ErrorCode::InvalidPopulationFile => "INVALID_POPULATION_FILE",
            ErrorCode::ScheduleInPast => "SCHEDULE_IN_PAST",
            ErrorCode::ScheduleOutOfOrder => "SCHEDULE_OUT_OF_ORDER",
            ErrorCode::BidsUndecided => "BIDS_UNDECIDED",
            ErrorCode::NotCounted => "NOT_COUNTED",
            ErrorCode::ConflictOfInterest => "CONFLICT_OF_INTEREST",
            ErrorCode::VerificationHeld => "VERIFICATION_HELD",
            ErrorCode::LastMember => "LAST_MEMBER",
            ErrorCode::LastAdmin => "LAST_ADMIN",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::TooManyChoices => "TOO_MANY_CHOICES",
            ErrorCode::TooFewChoices => "TOO_FEW_CHOICES",
            ErrorCode::OverBudget => "OVER_BUDGET",
            ErrorCode::DuplicateRank => "DUPLICATE_RANK",
            ErrorCode::ScoreOutOfRange => "SCORE_OUT_OF_RANGE",
            ErrorCode::PointsExceedLimit => "POINTS_EXCEED_LIMIT",
            ErrorCode::BidNotInPot => "BID_NOT_IN_POT",
            ErrorCode::VotingClosed => "VOTING_CLOSED",
            ErrorCode::NotEligible => "NOT_ELIGIBLE",
            ErrorCode::NotVerified => "NOT_VERIFIED",
            ErrorCode::AlreadyVoted => "ALREADY_VOTED",
            ErrorCode::CountFailed => "COUNT_FAILED",
            ErrorCode::LettersNotPrinted => "LETTERS_NOT_PRINTED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// An expected refusal: bad input, wrong role, wrong phase…
    #[error("{message}")]
    Refused {
        code: ErrorCode,
        message: String,
        /// The input field the refusal is about, where there is one.
        field: Option<&'static str>,
    },
    /// Anything else. Logged with its context; never shown.
    #[error("unexpected error: {0:#}")]
    Unexpected(#[from] anyhow::Error),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> Self {
        ServiceError::Refused {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Refused {
            code: ErrorCode::InvalidInput,
            message: message.into(),
            field: Some(field),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::refused(
            ErrorCode::NotFound,
            format!("there is no {what} with that identifier"),
        )
    }

    pub fn not_authorised(message: impl Into<String>) -> Self {
        Self::refused(ErrorCode::NotAuthorised, message)
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ServiceError::Refused { code, .. } => *code,
            ServiceError::Unexpected(_) => ErrorCode::Internal,
        }
    }
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(e: sea_orm::DbErr) -> Self {
        ServiceError::Unexpected(anyhow::Error::new(e).context("database"))
    }
}

/// Attaches context to a fallible database call.
pub trait Context<T> {
    fn context(self, what: &'static str) -> ServiceResult<T>;
}

impl<T> Context<T> for Result<T, sea_orm::DbErr> {
    fn context(self, what: &'static str) -> ServiceResult<T> {
        self.map_err(|e| ServiceError::Unexpected(anyhow::Error::new(e).context(what)))
    }
}
