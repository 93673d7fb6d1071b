/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** An age band. The youngest band starts at the round's minimum age. */
export type AgeBand =
  | 'AGE_18_TO_24'
  | 'AGE_25_TO_34'
  | 'AGE_35_TO_44'
  | 'AGE_45_TO_54'
  | 'AGE_55_TO_64'
  | 'AGE_65_TO_74'
  | 'AGE_75_AND_OVER'
  | 'UNDER_18';

/** How strongly a verification ties a person to an area. */
export type Assurance =
  /** A text to a UK mobile, the register, a check in person. */
  | 'HIGHER'
  /** A self-declared postcode, an email code. */
  | 'LOW';

/**
 * One line of a ballot. Approval and knapsack: the bids chosen. Ranked:
 * the bids in order of preference, first choice first. Scoring: every bid
 * with its score. Points: each bid given points, with the points. Money:
 * each bid given money, with the amount in pence.
 */
export type BallotChoiceInput = {
  bidId: string | number;
  /** The score, points or pence, for ballots that carry a number. */
  value?: number | null | undefined;
};

export type BallotKind =
  | 'APPROVAL'
  | 'KNAPSACK'
  | 'MONEY_ALLOCATION'
  | 'POINTS_ALLOCATION'
  | 'RANKED'
  | 'SCORING';

/** What a ballot looks like in this round. */
export type BallotSettingsInput = {
  /**
   * Which ballot counts when one person votes both through an officer
   * (paper or assisted) and by themselves. By default, the later one.
   */
  duplicatePolicy?: DuplicatePolicy;
  kind: BallotKind;
  /** The most bids a voter may choose, or the longest ranking. */
  maxChoices?: number | null | undefined;
  /** The fewest bids a voter must choose or rank. */
  minChoices?: number | null | undefined;
  pointsMaxPerBid?: number | null | undefined;
  /** Points allocation: points to spread, and the most on one bid. */
  pointsTotal?: number | null | undefined;
  scoreMax?: number | null | undefined;
  /** Scoring ballots: the scale. */
  scoreMin?: number | null | undefined;
};

export type BidDetailsInput = {
  category: string;
  costPence: number;
  description: string;
  descriptionCy?: string | null | undefined;
  /**
   * The part of the pot's area the bid is for (a ward of a borough-wide
   * pot), which council rules on areas count it in; none: all of it.
   */
  localityId?: string | number | null | undefined;
  location?: LocationInput;
  /** One or two sentences, shown on the ballot. */
  summary: string;
  summaryCy?: string | null | undefined;
  title: string;
  /** The title, summary and description in Welsh, each optional. */
  titleCy?: string | null | undefined;
};

/**
 * What a draft holds so far: a title, and whatever else is written.
 * Missing or empty fields are fine until the draft is submitted.
 */
export type BidDraftInput = {
  category?: string | null | undefined;
  costPence?: number | null | undefined;
  description?: string | null | undefined;
  descriptionCy?: string | null | undefined;
  /** As for a bid: the part of the pot's area it is for. */
  localityId?: string | number | null | undefined;
  location?: LocationInput;
  summary?: string | null | undefined;
  summaryCy?: string | null | undefined;
  title: string;
  /** As for a bid: the Welsh, each optional. */
  titleCy?: string | null | undefined;
};

export type BidStatus =
  | 'CHANGES_REQUESTED'
  /** Saved by the group but not yet sent; seen only by its members. */
  | 'DRAFT'
  | 'ELIGIBLE'
  | 'INELIGIBLE'
  | 'SUBMITTED'
  | 'WITHDRAWN';

export type CastAssistedBallotInput = {
  channel: OfficerChannel;
  choices: Array<BallotChoiceInput>;
  idempotencyKey: string;
  roundId: string | number;
  /** The verification record of the person voting. */
  verificationId: string | number;
};

export type CastBallotInput = {
  choices: Array<BallotChoiceInput>;
  /**
   * Chosen by the client, the same for every retry of one ballot: a
   * retry gets the same receipt and changes nothing.
   */
  idempotencyKey: string;
  roundId: string | number;
};

/** Which carrier a verification code goes by. */
export type CodeChannel =
  | 'EMAIL'
  | 'SMS';

export type ConflictResolution =
  /** Two different people: release the claimant's held declaration. */
  | 'DISTINCT_PEOPLE'
  /** Keep the existing verification; the claimant stays unverified. */
  | 'KEEP_EXISTING'
  /** The claimant is the person: move the verification to their account. */
  | 'MOVE_TO_CLAIMANT';

export type ContentEncoding =
  /**
   * The file's bytes in base64, so that a file in the wrong character
   * encoding can be recognised.
   */
  | 'BASE64'
  /** The CSV text itself. */
  | 'TEXT';

/**
 * Council rules the count applies in every pot of the round: spending
 * limits by category and area, the least support a bid needs, sets of bids
 * of which at most one may be funded, and bids funded first.
 */
export type CountConstraintsInput = {
  areaMax?: Array<SpendingLimitInput>;
  areaMin?: Array<SpendingLimitInput>;
  categoryMax?: Array<SpendingLimitInput>;
  categoryMin?: Array<SpendingLimitInput>;
  /** Sets of bid ids of which at most one may be funded. */
  exclusive?: Array<Array<string | number>>;
  /** Or the least share of the voters, as "5%". */
  minShare?: string | null | undefined;
  /** The least number of votes a bid needs to be fundable. */
  minVotes?: number | null | undefined;
  /** Bid ids funded first, their cost taken from the pot. */
  mustFund?: Array<string | number>;
};

/** The published rule that counts the ballots. */
export type CountingRuleInput = {
  /**
   * Council rules the count applies in each pot (greedy, greedy-no-skip,
   * the Equal Shares rules and phragmen only); null: none.
   */
  constraints?: CountConstraintsInput | null | undefined;
  /** greedy-threshold: the least support a bid needs. */
  minSupport?: number | null | undefined;
  /**
   * greedy, greedy-no-skip, greedy-threshold, mes, mes-add1,
   * mes-add1-no-early-stop, phragmen, borda, irv or stv-scottish.
   */
  name: string;
  /** borda: points for first, second, … place. */
  rankPoints?: Array<number> | null | undefined;
  /** irv and stv-scottish: how many bids to elect. */
  seats?: number | null | undefined;
  /** Seed of the published tie-break order (a string: it may exceed 2^53). */
  seed?: string | null | undefined;
  tieBreak?: TieBreak;
};

export type CreateAreaInput = {
  /** Full postcodes, sectors or districts. */
  coverage: Array<string>;
  description?: string;
  /** The description in Welsh (optional). */
  descriptionCy?: string | null | undefined;
  /** ward, parish, estate, neighbourhood or district. */
  kind: string;
  name: string;
  /** The name in Welsh (optional). */
  nameCy?: string | null | undefined;
};

export type CreateRoundInput = {
  ballot: BallotSettingsInput;
  countingRule: CountingRuleInput;
  description?: string;
  /** The description in Welsh (optional). */
  descriptionCy?: string | null | undefined;
  /**
   * Who may take part. By default: people who live in the round's areas,
   * any age, every method, a postcode alone not enough.
   */
  eligibility?: EligibilityInput | null | undefined;
  pots: Array<PotInput>;
  schedule?: ScheduleInput;
  title: string;
  /**
   * The title in Welsh, for Welsh pages, calls and letters (optional:
   * without it they show the English, marked as English).
   */
  titleCy?: string | null | undefined;
};

/** A CSV file. */
export type CsvFile = {
  content: string;
  encoding?: ContentEncoding;
};

/** A photo to add to an update. */
export type DeliveryPhotoInput = {
  /**
   * What the photo shows, for people who cannot see it (3 to 300
   * characters).
   */
  altText: string;
  /** The file's bytes, base64: a JPEG, PNG or WebP of at most 5 MB. */
  contentBase64: string;
};

export type DeliveryStatus =
  /** Will not go ahead: `statusReason` says why. */
  | 'CANCELLED'
  /** Late: `statusReason` says why. */
  | 'DELAYED'
  | 'DELIVERED'
  | 'IN_PROGRESS'
  | 'PLANNED';

export type DeliveryUpdateState =
  /** Public. */
  | 'APPROVED'
  /** Waiting for an officer. */
  | 'PENDING'
  /** Not approved: `reason` says why, for the group. */
  | 'REJECTED';

/**
 * Which ballot counts when one person votes both through an officer and
 * by themselves.
 */
export type DuplicatePolicy =
  /** The later ballot replaces the earlier. */
  | 'LATEST_COUNTS'
  /** The ballot given through an officer stands. */
  | 'OFFICER_COUNTS'
  /** The ballot the voter cast themselves stands. */
  | 'SELF_COUNTS';

/** Who may take part in a round. Frozen once voting opens. */
export type EligibilityInput = {
  /**
   * Whether low-assurance proofs alone (a self-declared postcode, an
   * email code) verify a person. Off by default: at least one
   * higher-assurance proof is needed. Shown publicly.
   */
  acceptLowAssurance?: boolean;
  /** Which proofs the round accepts. */
  methods: Array<VerificationMethod>;
  /**
   * The youngest age at which a person may take part (on the day voting
   * closes, or today if that is not scheduled).
   */
  minAge?: number | null | undefined;
  /**
   * Whether a self-declared postcode is enough by itself (needs
   * acceptLowAssurance).
   */
  postcodeAloneEnough: boolean;
  /** Which connections to an area count. */
  relations: Array<Relation>;
};

/** What an officer checked when verifying someone in person. */
export type Evidence =
  | 'COUNCIL_RECORD'
  | 'KNOWN_TO_OFFICER'
  | 'PHONE_CALL_CHECKS'
  | 'PHOTO_ID'
  | 'PROOF_OF_ADDRESS';

export type ImportDeprivationInput = {
  /**
   * The English IMD (an LSOA code and the IMD decile) or the Welsh WIMD
   * (an LSOA code and the WIMD decile or rank). At most 16 MiB.
   */
  deciles: CsvFile;
  /**
   * The ONS postcode → LSOA look-up (columns pcds and lsoa21cd or
   * lsoa11cd), the council's postcodes. At most 16 MiB.
   */
  postcodes: CsvFile;
  /** Where the figures come from, like "ONS postcode look-up, IMD 2019". */
  source: string;
};

export type ImportPopulationInput = {
  areaId: string | number;
  /**
   * The ONS mid-year estimates by single year of age (columns 0 … 90+,
   * or F0 … F90 and M0 … M90), one row a geography of the area. At most
   * 4 MiB.
   */
  file: CsvFile;
  /** Where the figures come from, like "ONS mid-2022 LSOA estimates". */
  source: string;
};

export type ImportRegisterInput = {
  columns: RegisterColumnsInput;
  /** The CSV file, with a header row. At most 4 MiB. */
  content: string;
  encoding?: ContentEncoding;
  roundId: string | number;
};

export type InPersonVerificationInput = {
  /** The person's email address, if they want to sign in later. */
  email?: string | null | undefined;
  evidence: Evidence;
  person: PersonDetailsInput;
  /** The person's UK mobile number, if they have one. */
  phone?: string | null | undefined;
  /**
   * The reference on the screen of someone who started online
   * (`Verification.inPersonReference`): their own record is completed.
   * Without it (or their email address), an in-person check of someone
   * part-way is refused with STARTED_ONLINE.
   */
  reference?: string | null | undefined;
};

export type InvitationStatus =
  | 'ACCEPTED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'PENDING'
  | 'REVOKED';

export type IssueVotingCodesInput = {
  /**
   * Or the people, with their names and addresses, as a CSV file: a
   * header row with a `reference` column (V and a number, as on the
   * letters), `name`, and up to six columns `address_1` to
   * `address_6`. The letters CSV with names and addresses filled in
   * will do. Not with `recipients`.
   */
  addresses?: string | null | undefined;
  /**
   * The people to send letters to (a new code voids an old one). Left
   * out: everyone verified for the round who has no account and no code
   * yet, up to 1,000 at a time.
   */
  recipients?: Array<VotingCodeRecipientInput> | null | undefined;
  roundId: string | number;
};

/** English or Welsh: the language of the pages, emails and texts. */
export type Language =
  | 'CY'
  | 'EN';

/** Where a project would happen. */
export type LocationInput = {
  address?: string | null | undefined;
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
};

/** What a project will do by when, and when it did. */
export type MilestoneInput = {
  /** The date it was done; empty until then. */
  doneDate?: string | null | undefined;
  /** The date it should be done by. */
  targetDate: string;
  title: string;
};

/** How an officer enters a ballot for someone. */
export type OfficerChannel =
  | 'ASSISTED'
  | 'PAPER';

/**
 * A person's name, date of birth (YYYY-MM-DD or DD/MM/YYYY) and postcode.
 * Checked, then reduced to a keyed hash: none of them is stored.
 */
export type PersonDetailsInput = {
  dateOfBirth: string;
  name: string;
  postcode: string;
  relation?: Relation;
};

export type Phase =
  | 'BIDS_OPEN'
  | 'BID_REVIEW'
  | 'CANCELLED'
  | 'CLOSED'
  | 'COUNTED'
  | 'DRAFT'
  | 'PUBLISHED'
  | 'VOTING';

export type PostDeliveryUpdateInput = {
  /** What happened, in 1 to 2,000 characters. */
  body: string;
  deliveryId: string | number;
  /** At most 4. */
  photos?: Array<DeliveryPhotoInput>;
};

export type PotInput = {
  amountPence: number;
  areaId: string | number;
};

/**
 * Which columns of the file hold what; matched to the header row without
 * regard to case. Give either fullName, or givenNames and familyName.
 */
export type RegisterColumnsInput = {
  dateOfBirth: string;
  familyName?: string | null | undefined;
  fullName?: string | null | undefined;
  givenNames?: string | null | undefined;
  postcode: string;
};

export type RegisterGroupInput = {
  areaId: string | number;
  contactEmail: string;
  description: string;
  name: string;
};

/** How a person is connected to an area. */
export type Relation =
  | 'LIVE'
  | 'STUDY'
  | 'WORK';

/** How reminders reach someone. */
export type ReminderChannel =
  | 'EMAIL'
  /**
   * Letters by post (only where the council sends letters: see
   * `reminderChannels`).
   */
  | 'LETTER'
  /** Text messages to a UK mobile number. */
  | 'TEXT';

export type ReviewDecision =
  | 'CHANGES_REQUESTED'
  | 'ELIGIBLE'
  | 'INELIGIBLE';

export type Role =
  | 'ADMIN'
  | 'COUNCILLOR'
  | 'OFFICER';

export type SaveBidDraftInput = {
  /** The area whose pot the bid is for. */
  areaId: string | number;
  details: BidDraftInput;
  groupId: string | number;
  roundId: string | number;
};

/**
 * When the round moves on by itself. A phase without a date waits for an
 * officer.
 */
export type ScheduleInput = {
  bidsCloseAt?: string | null | undefined;
  bidsOpenAt?: string | null | undefined;
  votingClosesAt?: string | null | undefined;
  votingOpensAt?: string | null | undefined;
};

/**
 * Asks for a round's reminders: when voting opens, two days before it
 * closes (only if you have not voted by then) and when the results are
 * out.
 */
export type SetRemindersInput = {
  channel: ReminderChannel;
  /**
   * The email address, the UK mobile number, or (for LETTER) the name
   * and postal address, one line each and the postcode last, to send
   * them to. Kept sealed for these reminders only, and deleted when they
   * stop.
   */
  contact: string;
  /** The language of the reminders (default: English). */
  language?: Language | null | undefined;
  roundId: string | number;
  /**
   * Officers: the verification (its number, as in the letter reference
   * V12) of someone verified in person who asked for reminders. Left
   * out: your own.
   */
  verificationId?: string | number | null | undefined;
};

export type SimulatedRuleInput = {
  /**
   * Council rules, by the file's names: categories, areas (a round's
   * area ids) and bid ids as its ballots file writes them. Null: none,
   * whatever the round or file sets.
   */
  constraints?: CountConstraintsInput | null | undefined;
  /**
   * greedy, greedy-no-skip, mes, mes-add1, mes-add1-no-early-stop or
   * phragmen.
   */
  name: string;
};

/** The ballots to count: a round's, or a file's (exactly one). */
export type SimulationInput = {
  /** The text of a pabulib `.pb` file, at most 4 MiB. */
  pbFile?: string | null | undefined;
  /** A closed, counted or published round. */
  roundId?: string | number | null | undefined;
  /** One to six rules to compare. */
  rules: Array<SimulatedRuleInput>;
};

/**
 * A limit on the money bids of one category, or of one area, may receive
 * in a pot's count: an amount or a share of the pot (exactly one is set).
 */
export type SpendingLimitInput = {
  /**
   * A bid category (categoryMax, categoryMin) or an area's id (areaMax,
   * areaMin).
   */
  key: string;
  /** Whole pounds, in pence. */
  pence?: number | null | undefined;
  /** A share of the pot, as "30%" or "12.5%". */
  share?: string | null | undefined;
};

export type SubmitBidInput = {
  /** The area whose pot the bid is for. */
  areaId: string | number;
  details: BidDetailsInput;
  groupId: string | number;
  roundId: string | number;
};

export type TieBreak =
  /** Lowest cost, then most support, then a published seeded order. */
  | 'COST_SUPPORT_SEED'
  /** By bid identifier. */
  | 'LEXICOGRAPHIC';

export type UpdateAreaInput = {
  description?: string | null | undefined;
  /** The description in Welsh; an empty string takes it away. */
  descriptionCy?: string | null | undefined;
  kind?: string | null | undefined;
  name?: string | null | undefined;
  /** The name in Welsh; an empty string takes it away. */
  nameCy?: string | null | undefined;
};

export type UpdateRoundInput = {
  description?: string | null | undefined;
  /** The Welsh description; an empty string takes it away. */
  descriptionCy?: string | null | undefined;
  /** Refused with SETTINGS_FROZEN once voting has opened. */
  eligibility?: EligibilityInput | null | undefined;
  /** Only while the round is a draft. */
  pots?: Array<PotInput> | null | undefined;
  schedule?: ScheduleInput | null | undefined;
  title?: string | null | undefined;
  /** The Welsh title; an empty string takes it away. */
  titleCy?: string | null | undefined;
};

/** A way of proving eligibility. */
export type VerificationMethod =
  /** A one-time code sent by email (low assurance). */
  | 'EMAIL'
  /**
   * An officer checked the person in person or by phone (higher
   * assurance).
   */
  | 'IN_PERSON'
  /** The resident's own statement of their postcode (low assurance). */
  | 'POSTCODE'
  /**
   * A match against the register the council imported (higher
   * assurance).
   */
  | 'REGISTER'
  /**
   * A one-time code sent by text message to a UK mobile (higher
   * assurance).
   */
  | 'SMS';

/** How a ballot came in. */
export type VoteChannel =
  /** An officer, for the voter, on the phone or at an event. */
  | 'ASSISTED'
  /** An officer typing in a paper ballot form. */
  | 'PAPER'
  /** The voter, on a telephone keypad. */
  | 'PHONE'
  /** The voter, by text message. */
  | 'SMS'
  /** The voter, in a browser. */
  | 'WEB';

/**
 * Someone to send a voting-code letter to. The name and address are
 * printed on the letter, and kept only sealed with the batch until its
 * letters are collected (a day at most, and never after voting closes).
 */
export type VotingCodeRecipientInput = {
  /** Up to 6 lines, the postcode last. */
  address?: Array<string>;
  name?: string | null | undefined;
  /** Their verification record for the round. */
  verificationId: string | number;
};

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, displayName: string | null, roles: Array<Role>, language: Language, groups: Array<{ id: string, name: string }> } | null };

export type RequestSignInCodeMutationVariables = Exact<{
  email: string;
  language?: Language | null | undefined;
}>;


export type RequestSignInCodeMutation = { requestSignInCode: { sent: boolean, message: string } };

export type SignInMutationVariables = Exact<{
  email: string;
  code: string;
  language?: Language | null | undefined;
}>;


export type SignInMutation = { signIn: { token: string, expiresAt: string, account: { id: string, displayName: string | null, roles: Array<Role>, language: Language } } };

export type SetLanguageMutationVariables = Exact<{
  language: Language;
}>;


export type SetLanguageMutation = { setLanguage: { id: string, language: Language } };

export type SetDisplayNameMutationVariables = Exact<{
  name: string;
}>;


export type SetDisplayNameMutation = { setDisplayName: { id: string, displayName: string | null } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type MyVerificationsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyVerificationsQuery = { myVerifications: Array<{ id: string, roundId: string, relation: Relation, methods: Array<VerificationMethod>, verified: boolean, held: boolean, verifiedAt: string | null, ageCheckedAtLeast: number | null, hasPhone: boolean, hasEmail: boolean, createdAt: string, area: { id: string, name: string, nameCy: string | null } }>, rounds: { nodes: Array<{ id: string, title: string, titleCy: string | null, phase: Phase, phaseChangedAt: string, votingClosedAt: string | null, schedule: { votingOpensAt: string | null, votingClosesAt: string | null } }> } };

export type DeleteMyVerificationMutationVariables = Exact<{
  roundId: string | number;
}>;


export type DeleteMyVerificationMutation = { deleteMyVerification: boolean };

export type MyGroupsAloneQueryVariables = Exact<{ [key: string]: never; }>;


export type MyGroupsAloneQuery = { me: { id: string, groups: Array<{ id: string, name: string, members: { nodes: Array<{ accountId: string }> } }> } | null };

export type DeleteMyAccountMutationVariables = Exact<{
  confirm: boolean;
}>;


export type DeleteMyAccountMutation = { deleteMyAccount: boolean };

export type MyDataQueryVariables = Exact<{ [key: string]: never; }>;


export type MyDataQuery = { myData: string };

export type DeliveryPhotoFieldsFragment = { id: string, url: string, altText: string, width: number, height: number };

export type DeliveryUpdateFieldsFragment = { id: string, body: string, state: DeliveryUpdateState, reason: string | null, createdAt: string, decidedAt: string | null, photos: Array<{ id: string, url: string, altText: string, width: number, height: number }> };

export type DeliveryFieldsFragment = { id: string, status: DeliveryStatus, statusReason: string | null, awardPence: number, spentPence: number, overspendReason: string | null, updatedAt: string, milestones: Array<{ title: string, targetDate: string, doneDate: string | null }> };

export type DeliveryTotalsFieldsFragment = { funded: number, delivered: number, cancelled: number, promisedPence: number, spentPence: number };

export type RoundDeliveryPageQueryVariables = Exact<{
  roundId: string | number;
  areaId?: string | number | null | undefined;
}>;


export type RoundDeliveryPageQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase, pots: Array<{ id: string, area: { id: string, name: string, nameCy: string | null } }> }, roundDelivery: { totals: { funded: number, delivered: number, cancelled: number, promisedPence: number, spentPence: number }, deliveries: Array<{ id: string, status: DeliveryStatus, statusReason: string | null, awardPence: number, spentPence: number, overspendReason: string | null, updatedAt: string, bid: { id: string, title: string, titleCy: string | null, area: { id: string, name: string, nameCy: string | null } }, updates: Array<{ id: string, body: string, state: DeliveryUpdateState, reason: string | null, createdAt: string, decidedAt: string | null, photos: Array<{ id: string, url: string, altText: string, width: number, height: number }> }>, milestones: Array<{ title: string, targetDate: string, doneDate: string | null }> }> } };

export type DeliveryFeedQueryVariables = Exact<{
  roundId: string | number;
}>;


export type DeliveryFeedQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase }, deliveryUpdates: Array<{ id: string, body: string, createdAt: string, decidedAt: string | null, bid: { id: string, title: string, titleCy: string | null }, photos: Array<{ id: string, url: string, altText: string, width: number, height: number }> }>, resultVersions: Array<{ version: number, publishedAt: string | null }> };

export type BidDeliveryUpdatesQueryVariables = Exact<{
  id: string | number;
}>;


export type BidDeliveryUpdatesQuery = { bid: { id: string, title: string, titleCy: string | null, group: { id: string, name: string }, round: { id: string, title: string, titleCy: string | null, phase: Phase }, delivery: { id: string, status: DeliveryStatus, statusReason: string | null, awardPence: number, spentPence: number, overspendReason: string | null, updatedAt: string, updates: Array<{ id: string, body: string, state: DeliveryUpdateState, reason: string | null, createdAt: string, decidedAt: string | null, photos: Array<{ id: string, url: string, altText: string, width: number, height: number }> }>, milestones: Array<{ title: string, targetDate: string, doneDate: string | null }> } | null } };

export type PostDeliveryUpdateMutationVariables = Exact<{
  input: PostDeliveryUpdateInput;
}>;


export type PostDeliveryUpdateMutation = { postDeliveryUpdate: { id: string, state: DeliveryUpdateState } };

export type StaffRoundDeliveryQueryVariables = Exact<{
  roundId: string | number;
}>;


export type StaffRoundDeliveryQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase }, roundDelivery: { totals: { funded: number, delivered: number, cancelled: number, promisedPence: number, spentPence: number }, deliveries: Array<{ id: string, status: DeliveryStatus, statusReason: string | null, awardPence: number, spentPence: number, overspendReason: string | null, updatedAt: string, bid: { id: string, title: string, titleCy: string | null, area: { id: string, name: string, nameCy: string | null }, group: { id: string, name: string } }, milestones: Array<{ title: string, targetDate: string, doneDate: string | null }> }> }, deliveryUpdatesWaiting: Array<{ id: string, deliveryId: string }> };

export type StaffBidDeliveryQueryVariables = Exact<{
  bidId: string | number;
}>;


export type StaffBidDeliveryQuery = { bid: { id: string, title: string, titleCy: string | null, area: { id: string, name: string, nameCy: string | null }, group: { id: string, name: string }, round: { id: string, title: string, titleCy: string | null, phase: Phase }, delivery: { id: string, status: DeliveryStatus, statusReason: string | null, awardPence: number, spentPence: number, overspendReason: string | null, updatedAt: string, updates: Array<{ id: string, body: string, state: DeliveryUpdateState, reason: string | null, createdAt: string, decidedAt: string | null, photos: Array<{ id: string, url: string, altText: string, width: number, height: number }> }>, milestones: Array<{ title: string, targetDate: string, doneDate: string | null }> } | null } };

export type DecideDeliveryUpdateMutationVariables = Exact<{
  updateId: string | number;
  approve: boolean;
  reason?: string | null | undefined;
}>;


export type DecideDeliveryUpdateMutation = { decideDeliveryUpdate: { id: string, state: DeliveryUpdateState } };

export type SetDeliveryStatusMutationVariables = Exact<{
  deliveryId: string | number;
  status: DeliveryStatus;
  reason?: string | null | undefined;
}>;


export type SetDeliveryStatusMutation = { setDeliveryStatus: { id: string, status: DeliveryStatus } };

export type SetDeliverySpendingMutationVariables = Exact<{
  deliveryId: string | number;
  spentPence: number;
  reason?: string | null | undefined;
}>;


export type SetDeliverySpendingMutation = { setDeliverySpending: { id: string, spentPence: number } };

export type SetDeliveryMilestonesMutationVariables = Exact<{
  deliveryId: string | number;
  milestones: Array<MilestoneInput> | MilestoneInput;
}>;


export type SetDeliveryMilestonesMutation = { setDeliveryMilestones: { id: string } };

export type MyGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyGroupsQuery = { me: { id: string, groups: Array<{ id: string, name: string, area: { id: string, name: string } }> } | null, myGroupInvitations: Array<{ id: string, status: InvitationStatus, expiresAt: string, group: { id: string, name: string, area: { name: string } } }> };

export type GroupAreasQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type GroupAreasQuery = { areas: { nodes: Array<{ id: string, name: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type GroupPageQueryVariables = Exact<{
  id: string | number;
}>;


export type GroupPageQuery = { group: { id: string, name: string, description: string, contactEmail: string, area: { id: string, name: string }, bids: { nodes: Array<{ id: string, title: string, costPence: number, status: BidStatus, reviewReason: string | null, round: { id: string, title: string, phase: Phase }, delivery: { id: string, status: DeliveryStatus } | null }> } }, me: { id: string, groups: Array<{ id: string }> } | null };

export type GroupMembersQueryVariables = Exact<{
  id: string | number;
}>;


export type GroupMembersQuery = { group: { id: string, members: { nodes: Array<{ accountId: string, displayName: string | null, joinedAt: string }> }, pendingInvitations: Array<{ id: string, status: InvitationStatus, createdAt: string, expiresAt: string, addressHint: string | null }> } };

export type RegisterGroupMutationVariables = Exact<{
  input: RegisterGroupInput;
}>;


export type RegisterGroupMutation = { registerGroup: { id: string } };

export type InviteGroupMemberMutationVariables = Exact<{
  groupId: string | number;
  email: string;
}>;


export type InviteGroupMemberMutation = { inviteGroupMember: { id: string } };

export type AnswerGroupInvitationMutationVariables = Exact<{
  invitationId: string | number;
  accept: boolean;
}>;


export type AnswerGroupInvitationMutation = { answerGroupInvitation: { id: string, status: InvitationStatus, group: { id: string } } };

export type RevokeGroupInvitationMutationVariables = Exact<{
  invitationId: string | number;
}>;


export type RevokeGroupInvitationMutation = { revokeGroupInvitation: { id: string } };

export type RemoveGroupMemberMutationVariables = Exact<{
  groupId: string | number;
  accountId: string | number;
}>;


export type RemoveGroupMemberMutation = { removeGroupMember: { id: string } };

export type LeaveGroupMutationVariables = Exact<{
  groupId: string | number;
}>;


export type LeaveGroupMutation = { leaveGroup: { id: string } };

export type BidFormDataQueryVariables = Exact<{
  groupId: string | number;
}>;


export type BidFormDataQuery = { bidCategories: Array<string>, group: { id: string, name: string, area: { id: string, name: string } }, rounds: { nodes: Array<{ id: string, title: string, pots: Array<{ amountDisplay: string, amountPence: number, area: { id: string } }> }> } };

export type SubmitBidMutationVariables = Exact<{
  input: SubmitBidInput;
}>;


export type SubmitBidMutation = { submitBid: { id: string } };

export type UpdateBidMutationVariables = Exact<{
  id: string | number;
  details: BidDetailsInput;
}>;


export type UpdateBidMutation = { updateBid: { id: string, status: BidStatus } };

export type ResubmitBidMutationVariables = Exact<{
  id: string | number;
}>;


export type ResubmitBidMutation = { resubmitBid: { id: string, status: BidStatus } };

export type WithdrawBidMutationVariables = Exact<{
  id: string | number;
}>;


export type WithdrawBidMutation = { withdrawBid: { id: string, status: BidStatus } };

export type BidDraftQueryVariables = Exact<{
  id: string | number;
  groupId: string | number;
}>;


export type BidDraftQuery = { bidCategories: Array<string>, bid: { id: string, title: string, summary: string, description: string, titleCy: string | null, summaryCy: string | null, descriptionCy: string | null, costPence: number, category: string, status: BidStatus, location: { address: string | null }, locality: { id: string, name: string } | null, group: { id: string }, round: { id: string, title: string, pots: Array<{ amountDisplay: string, amountPence: number, area: { id: string } }> } }, group: { id: string, name: string, area: { id: string, name: string } } };

export type SaveBidDraftMutationVariables = Exact<{
  input: SaveBidDraftInput;
}>;


export type SaveBidDraftMutation = { saveBidDraft: { id: string } };

export type UpdateBidDraftMutationVariables = Exact<{
  id: string | number;
  details: BidDraftInput;
}>;


export type UpdateBidDraftMutation = { updateBidDraft: { id: string } };

export type SubmitBidDraftMutationVariables = Exact<{
  id: string | number;
}>;


export type SubmitBidDraftMutation = { submitBidDraft: { id: string, status: BidStatus } };

export type DeleteBidDraftMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteBidDraftMutation = { deleteBidDraft: string };

export type OfficerRoundsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type OfficerRoundsQuery = { rounds: { nodes: Array<{ id: string, title: string, phase: Phase, pots: Array<{ amountDisplay: string, area: { name: string } }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type OfficerAreasQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type OfficerAreasQuery = { areas: { nodes: Array<{ id: string, name: string, kind: string, coverage: { nodes: Array<string>, pageInfo: { hasNextPage: boolean } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CreateAreaMutationVariables = Exact<{
  input: CreateAreaInput;
}>;


export type CreateAreaMutation = { createArea: { id: string } };

export type SetAreaCoverageMutationVariables = Exact<{
  areaId: string | number;
  coverage: Array<string> | string;
}>;


export type SetAreaCoverageMutation = { setAreaCoverage: { id: string } };

export type AreaEditQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type AreaEditQuery = { area: { id: string, name: string, kind: string, description: string, nameCy: string | null, descriptionCy: string | null, coverage: { nodes: Array<string>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type CreateRoundMutationVariables = Exact<{
  input: CreateRoundInput;
}>;


export type CreateRoundMutation = { createRound: { id: string } };

export type UpdateRoundMutationVariables = Exact<{
  id: string | number;
  input: UpdateRoundInput;
}>;


export type UpdateRoundMutation = { updateRound: { id: string } };

export type UpdateRoundSettingsMutationVariables = Exact<{
  id: string | number;
  ballot: BallotSettingsInput;
  countingRule: CountingRuleInput;
}>;


export type UpdateRoundSettingsMutation = { updateRoundSettings: { id: string } };

export type AdvanceRoundMutationVariables = Exact<{
  id: string | number;
  to: Phase;
}>;


export type AdvanceRoundMutation = { advanceRound: { id: string, phase: Phase } };

export type ReviewBidsQueryVariables = Exact<{
  id: string | number;
  status?: BidStatus | null | undefined;
  after?: string | null | undefined;
}>;


export type ReviewBidsQuery = { round: { id: string, title: string, phase: Phase, bids: { nodes: Array<{ id: string, title: string, summary: string, costDisplay: string, category: string, status: BidStatus, reviewReason: string | null, area: { name: string }, group: { name: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type ReviewBidMutationVariables = Exact<{
  id: string | number;
  decision: ReviewDecision;
  reason?: string | null | undefined;
}>;


export type ReviewBidMutation = { reviewBid: { id: string, status: BidStatus } };

export type ImportRegisterMutationVariables = Exact<{
  input: ImportRegisterInput;
}>;


export type ImportRegisterMutation = { importRegister: { importId: string, rowsAccepted: number, rowsRefused: number, refused: Array<{ line: number, reason: string }> } };

export type RecordInPersonVerificationMutationVariables = Exact<{
  roundId: string | number;
  input: InPersonVerificationInput;
}>;


export type RecordInPersonVerificationMutation = { recordInPersonVerification: { id: string, verified: boolean, area: { id: string, name: string } } };

export type RoundVerificationsQueryVariables = Exact<{
  roundId: string | number;
  after?: string | null | undefined;
}>;


export type RoundVerificationsQuery = { verifications: { nodes: Array<{ verified: boolean, held: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RoundConflictsQueryVariables = Exact<{
  roundId: string | number;
}>;


export type RoundConflictsQuery = { verificationConflicts: { nodes: Array<{ id: string, kind: string, createdAt: string, resolvedAt: string | null, resolution: string | null }> } };

export type ResolveVerificationConflictMutationVariables = Exact<{
  id: string | number;
  resolution: ConflictResolution;
}>;


export type ResolveVerificationConflictMutation = { resolveVerificationConflict: { id: string } };

export type GrantRoleMutationVariables = Exact<{
  email: string;
  role: Role;
}>;


export type GrantRoleMutation = { grantRole: { id: string, roles: Array<Role>, hasSignedIn: boolean } };

export type RoleHoldersQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type RoleHoldersQuery = { roleHolders: { nodes: Array<{ id: string, displayName: string | null, roles: Array<Role>, hasSignedIn: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RevokeRoleMutationVariables = Exact<{
  accountId: string | number;
  role: Role;
}>;


export type RevokeRoleMutation = { revokeRole: { id: string, roles: Array<Role> } };

export type UpdateAreaMutationVariables = Exact<{
  areaId: string | number;
  input: UpdateAreaInput;
}>;


export type UpdateAreaMutation = { updateArea: { id: string } };

export type IssueVotingCodesMutationVariables = Exact<{
  input: IssueVotingCodesInput;
}>;


export type IssueVotingCodesMutation = { issueVotingCodes: { pdfBase64: string } };

export type IssueVotingCodeBatchMutationVariables = Exact<{
  input: IssueVotingCodesInput;
}>;


export type IssueVotingCodeBatchMutation = { issueVotingCodes: { batchId: string } };

export type VotingCodeBatchesQueryVariables = Exact<{
  roundId: string | number;
  after?: string | null | undefined;
}>;


export type VotingCodeBatchesQuery = { votingCodeBatches: { nodes: Array<{ id: string, letters: number, remaining: number, issuedAt: string, keptUntil: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ReprintVotingCodeLettersMutationVariables = Exact<{
  batchId: string | number;
  pdf: boolean;
}>;


export type ReprintVotingCodeLettersMutation = { reprintVotingCodeLetters: { batchId: string, issued: number, pdfBase64?: string, csv?: string } };

export type PostVotingCodeLettersMutationVariables = Exact<{
  batchId: string | number;
}>;


export type PostVotingCodeLettersMutation = { postVotingCodeLetters: { posted: number, batch: { id: string, letters: number } } };

export type CollectVotingCodeLettersMutationVariables = Exact<{
  batchId: string | number;
}>;


export type CollectVotingCodeLettersMutation = { collectVotingCodeLetters: { id: string, letters: number } };

export type PaperFormVoterQueryVariables = Exact<{
  roundId: string | number;
  votingCode: string;
}>;


export type PaperFormVoterQuery = { paperFormVoter: { id: string, area: { id: string, name: string } } };

export type AreaPopulationFieldsFragment = { source: string, importedAt: string, geographies: number, people: number, byAgeBand: Array<{ band: AgeBand, people: number }> };

export type DeprivationLookupFieldsFragment = { source: string, importedAt: string, postcodes: number, neighbourhoods: number, postcodesWithoutDecile: number };

export type PopulationAreasQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type PopulationAreasQuery = { areas: { nodes: Array<{ id: string, name: string, nameCy: string | null, population: { source: string, importedAt: string, geographies: number, people: number, byAgeBand: Array<{ band: AgeBand, people: number }> } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AreaPopulationQueryVariables = Exact<{
  id: string | number;
}>;


export type AreaPopulationQuery = { area: { id: string, name: string, nameCy: string | null, population: { source: string, importedAt: string, geographies: number, people: number, byAgeBand: Array<{ band: AgeBand, people: number }> } | null } };

export type DeprivationLookupStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type DeprivationLookupStatusQuery = { deprivationLookup: { source: string, importedAt: string, postcodes: number, neighbourhoods: number, postcodesWithoutDecile: number } | null };

export type ImportPopulationMutationVariables = Exact<{
  input: ImportPopulationInput;
}>;


export type ImportPopulationMutation = { importPopulation: { source: string, importedAt: string, geographies: number, people: number, byAgeBand: Array<{ band: AgeBand, people: number }> } };

export type ImportDeprivationMutationVariables = Exact<{
  input: ImportDeprivationInput;
}>;


export type ImportDeprivationMutation = { importDeprivation: { source: string, importedAt: string, postcodes: number, neighbourhoods: number, postcodesWithoutDecile: number } };

export type ParticipationGroupFieldsFragment = { key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null };

export type ParticipationBreakdownFieldsFragment = { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null };

export type RoundParticipationFieldsFragment = { voters: number, eligiblePopulation: number | null, turnout: number | null, fromAge: number, smallestGroupShown: number, deprivationKnown: boolean, byArea: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byAgeBand: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byDeprivationDecile: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byChannel: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byAssurance: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null } };

export type RoundParticipationQueryVariables = Exact<{
  roundId: string | number;
}>;


export type RoundParticipationQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase, participation: { voters: number, eligiblePopulation: number | null, turnout: number | null, fromAge: number, smallestGroupShown: number, deprivationKnown: boolean, byArea: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byAgeBand: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byDeprivationDecile: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byChannel: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null }, byAssurance: { representativeness: number | null, groups: Array<{ key: string, ageBand: AgeBand | null, decile: number | null, channel: VoteChannel | null, assurance: Assurance | null, notKnown: boolean, voters: number | null, suppressed: boolean, population: number | null, shareOfVoters: number | null, shareOfPopulation: number | null, rate: number | null, area: { id: string, name: string, nameCy: string | null } | null }>, lowest: { key: string } | null, highest: { key: string } | null } } | null } };

export type RoundParticipationShownQueryVariables = Exact<{
  roundId: string | number;
}>;


export type RoundParticipationShownQuery = { round: { id: string, participation: { voters: number } | null } };

export type RoundOutreachQueryVariables = Exact<{
  roundId: string | number;
}>;


export type RoundOutreachQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase, participation: { voters: number, fromAge: number, smallestGroupShown: number } | null, outreach: Array<{ ageBand: AgeBand, voters: number | null, population: number, shareOfVoters: number | null, shareOfPopulation: number, rate: number | null, remindersByEmail: number | null, remindersByText: number | null, area: { id: string, name: string, nameCy: string | null } }> } };

export type PageInfoFieldsFragment = { hasNextPage: boolean, endCursor: string | null };

export type AreasCoverageQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type AreasCoverageQuery = { areas: { nodes: Array<{ id: string, name: string, coverage: { nodes: Array<string>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AreaCoverageMoreQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type AreaCoverageMoreQuery = { area: { id: string, coverage: { nodes: Array<string>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type AreaRoundsQueryVariables = Exact<{
  areaId: string | number;
  after?: string | null | undefined;
}>;


export type AreaRoundsQuery = { area: { id: string, name: string, nameCy: string | null, kind: string, description: string, descriptionCy: string | null }, rounds: { nodes: Array<{ id: string, title: string, titleCy: string | null, description: string, descriptionCy: string | null, phase: Phase, phaseChangedAt: string, votingClosedAt: string | null, schedule: { votingOpensAt: string | null, votingClosesAt: string | null }, pots: Array<{ id: string, amountPence: number, amountDisplay: string, area: { id: string, name: string, nameCy: string | null } }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CountConstraintsFieldsFragment = { minVotes: number | null, minShare: string | null, exclusive: Array<Array<string>>, mustFund: Array<string>, categoryMax: Array<{ key: string, pence: number | null, share: string | null }>, categoryMin: Array<{ key: string, pence: number | null, share: string | null }>, areaMax: Array<{ key: string, pence: number | null, share: string | null }>, areaMin: Array<{ key: string, pence: number | null, share: string | null }> };

export type RoundPageQueryVariables = Exact<{
  id: string | number;
  language?: Language;
}>;


export type RoundPageQuery = { round: { id: string, title: string, description: string, titleCy: string | null, descriptionCy: string | null, phase: Phase, phaseChangedAt: string, votingClosedAt: string | null, settingsFrozen: boolean, closeCheckpoint: string | null, closeCheckpointSignature: string | null, observing: boolean, constraintsInWords: Array<string>, schedule: { bidsOpenAt: string | null, bidsCloseAt: string | null, votingOpensAt: string | null, votingClosesAt: string | null }, ballot: { kind: BallotKind, minChoices: number | null, maxChoices: number | null, scoreMin: number | null, scoreMax: number | null, pointsTotal: number | null, pointsMaxPerBid: number | null }, countingRule: { name: string, tieBreak: TieBreak, seed: string | null, minSupport: number | null, rankPoints: Array<number> | null, seats: number | null, constraints: { minVotes: number | null, minShare: string | null, exclusive: Array<Array<string>>, mustFund: Array<string>, categoryMax: Array<{ key: string, pence: number | null, share: string | null }>, categoryMin: Array<{ key: string, pence: number | null, share: string | null }>, areaMax: Array<{ key: string, pence: number | null, share: string | null }>, areaMin: Array<{ key: string, pence: number | null, share: string | null }> } | null }, eligibility: { relations: Array<Relation>, minAge: number | null, methods: Array<VerificationMethod>, postcodeAloneEnough: boolean, acceptLowAssurance: boolean }, pots: Array<{ id: string, amountPence: number, amountDisplay: string, area: { id: string, name: string, nameCy: string | null } }> } };

export type RoundBidsQueryVariables = Exact<{
  id: string | number;
  areaId: string | number;
  category?: string | null | undefined;
  search?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type RoundBidsQuery = { bidCategories: Array<string>, round: { id: string, title: string, titleCy: string | null, phase: Phase, phaseChangedAt: string, votingClosedAt: string | null, schedule: { votingOpensAt: string | null, votingClosesAt: string | null }, pots: Array<{ id: string, amountPence: number, amountDisplay: string, area: { id: string, name: string, nameCy: string | null } }>, bids: { nodes: Array<{ id: string, title: string, titleCy: string | null, summary: string, summaryCy: string | null, costPence: number, costDisplay: string, category: string, status: BidStatus, group: { id: string, name: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type ObserveRoundMutationVariables = Exact<{
  roundId: string | number;
  email: string;
}>;


export type ObserveRoundMutation = { observeRound: { id: string, observing: boolean } };

export type StopObservingRoundMutationVariables = Exact<{
  roundId: string | number;
}>;


export type StopObservingRoundMutation = { stopObservingRound: { id: string, observing: boolean } };

export type BidPageQueryVariables = Exact<{
  id: string | number;
}>;


export type BidPageQuery = { bid: { id: string, title: string, summary: string, description: string, titleCy: string | null, summaryCy: string | null, descriptionCy: string | null, costPence: number, costDisplay: string, category: string, status: BidStatus, reviewReason: string | null, reviewHistory: Array<{ decision: BidStatus, reason: string | null, reviewedAt: string }>, location: { address: string | null, latitude: number | null, longitude: number | null }, area: { id: string, name: string, nameCy: string | null }, locality: { id: string, name: string, nameCy: string | null } | null, group: { id: string, name: string, description: string, contactEmail: string }, round: { id: string, title: string, titleCy: string | null, phase: Phase, phaseChangedAt: string, votingClosedAt: string | null, schedule: { votingOpensAt: string | null, votingClosesAt: string | null } }, delivery: { id: string, status: DeliveryStatus, statusReason: string | null, awardPence: number, spentPence: number, overspendReason: string | null, updatedAt: string, updates: Array<{ id: string, body: string, state: DeliveryUpdateState, reason: string | null, createdAt: string, decidedAt: string | null, photos: Array<{ id: string, url: string, altText: string, width: number, height: number }> }>, milestones: Array<{ title: string, targetDate: string, doneDate: string | null }> } | null } };

export type StartPageQueryVariables = Exact<{ [key: string]: never; }>;


export type StartPageQuery = { voting: { nodes: Array<{ id: string, title: string, titleCy: string | null, phase: Phase }> }, rounds: { nodes: Array<{ id: string, title: string, titleCy: string | null, phase: Phase }> } };

export type BidCategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type BidCategoriesQuery = { bidCategories: Array<string> };

export type RemindersFieldsFragment = { roundId: string, channel: ReminderChannel, contactHint: string, language: Language };

export type RemindersRoundQueryVariables = Exact<{
  id: string | number;
}>;


export type RemindersRoundQuery = { reminderChannels: Array<ReminderChannel>, round: { id: string, title: string, titleCy: string | null, phase: Phase, phaseChangedAt: string, votingClosedAt: string | null, schedule: { votingOpensAt: string | null, votingClosesAt: string | null } }, myVerifications: Array<{ id: string, roundId: string, verified: boolean }>, myReminders: Array<{ roundId: string, channel: ReminderChannel, contactHint: string, language: Language }> };

export type ReminderChannelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ReminderChannelsQuery = { reminderChannels: Array<ReminderChannel> };

export type MyRemindersQueryVariables = Exact<{ [key: string]: never; }>;


export type MyRemindersQuery = { myReminders: Array<{ roundId: string, channel: ReminderChannel, contactHint: string, language: Language }> };

export type SetRemindersMutationVariables = Exact<{
  input: SetRemindersInput;
}>;


export type SetRemindersMutation = { setReminders: { roundId: string, channel: ReminderChannel, contactHint: string, language: Language } };

export type StopRemindersMutationVariables = Exact<{
  roundId?: string | number | null | undefined;
}>;


export type StopRemindersMutation = { stopReminders: number };

export type StopRemindersByLinkMutationVariables = Exact<{
  subscription: string | number;
  token: string;
}>;


export type StopRemindersByLinkMutation = { stopRemindersByLink: boolean };

export type PotResultFieldsFragment = { budgetPence: number, spentPence: number, leftPence: number, voters: number, explanation: Array<string>, ballotsUrl: string, resultUrl: string, ballotsSha256: string, resultSha256: string, area: { id: string, name: string, nameCy: string | null }, funded: Array<{ amountPence: number, support: string, votes: number, bid: { id: string, title: string, titleCy: string | null } }>, unfunded: Array<{ id: string, title: string, titleCy: string | null, costPence: number }>, unfundedBids: Array<{ votes: number, bid: { id: string } }>, turnoutByChannel: Array<{ channel: string, voted: number }> };

export type RoundResultFieldsFragment = { version: number, reason: string | null, countedAt: string, publishedAt: string | null, provisional: boolean, bundleUrl: string | null, configurationSha256: string, excludedBidIds: Array<string>, pots: Array<{ budgetPence: number, spentPence: number, leftPence: number, voters: number, explanation: Array<string>, ballotsUrl: string, resultUrl: string, ballotsSha256: string, resultSha256: string, area: { id: string, name: string, nameCy: string | null }, funded: Array<{ amountPence: number, support: string, votes: number, bid: { id: string, title: string, titleCy: string | null } }>, unfunded: Array<{ id: string, title: string, titleCy: string | null, costPence: number }>, unfundedBids: Array<{ votes: number, bid: { id: string } }>, turnoutByChannel: Array<{ channel: string, voted: number }> }> };

export type RoundResultPageQueryVariables = Exact<{
  roundId: string | number;
  version?: number | null | undefined;
  language?: Language | null | undefined;
}>;


export type RoundResultPageQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase, closeCheckpoint: string | null, closeCheckpointSignature: string | null, countingRule: { name: string } }, roundResult: { version: number, reason: string | null, countedAt: string, publishedAt: string | null, provisional: boolean, bundleUrl: string | null, configurationSha256: string, excludedBidIds: Array<string>, pots: Array<{ budgetPence: number, spentPence: number, leftPence: number, voters: number, explanation: Array<string>, ballotsUrl: string, resultUrl: string, ballotsSha256: string, resultSha256: string, area: { id: string, name: string, nameCy: string | null }, funded: Array<{ amountPence: number, support: string, votes: number, bid: { id: string, title: string, titleCy: string | null } }>, unfunded: Array<{ id: string, title: string, titleCy: string | null, costPence: number }>, unfundedBids: Array<{ votes: number, bid: { id: string } }>, turnoutByChannel: Array<{ channel: string, voted: number }> }> } | null, resultVersions: Array<{ version: number, reason: string | null, countedAt: string, publishedAt: string | null }> };

export type ReceiptRoundQueryVariables = Exact<{
  roundId: string | number;
}>;


export type ReceiptRoundQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase } };

export type ReceiptProofQueryVariables = Exact<{
  roundId: string | number;
  code: string;
}>;


export type ReceiptProofQuery = { receiptProof: { code: string, commitment: string, leafIndex: number, treeSize: number, hashes: Array<string>, root: string, verified: boolean } | null };

export type StaffRoundResultQueryVariables = Exact<{
  roundId: string | number;
  language?: Language | null | undefined;
}>;


export type StaffRoundResultQuery = { round: { id: string, countError: string | null }, roundResult: { version: number, reason: string | null, countedAt: string, publishedAt: string | null, provisional: boolean, bundleUrl: string | null, configurationSha256: string, excludedBidIds: Array<string>, pots: Array<{ budgetPence: number, spentPence: number, leftPence: number, voters: number, explanation: Array<string>, ballotsUrl: string, resultUrl: string, ballotsSha256: string, resultSha256: string, area: { id: string, name: string, nameCy: string | null }, funded: Array<{ amountPence: number, support: string, votes: number, bid: { id: string, title: string, titleCy: string | null } }>, unfunded: Array<{ id: string, title: string, titleCy: string | null, costPence: number }>, unfundedBids: Array<{ votes: number, bid: { id: string } }>, turnoutByChannel: Array<{ channel: string, voted: number }> }> } | null, resultVersions: Array<{ version: number, reason: string | null, countedAt: string, publishedAt: string | null }> };

export type PotCsvQueryVariables = Exact<{
  roundId: string | number;
  version: number;
}>;


export type PotCsvQuery = { roundResult: { version: number, pots: Array<{ ballotsUrl: string, csv: string | null }> } | null };

export type CountRoundMutationVariables = Exact<{
  roundId: string | number;
}>;


export type CountRoundMutation = { countRound: { id: string, phase: Phase } };

export type PublishResultMutationVariables = Exact<{
  roundId: string | number;
}>;


export type PublishResultMutation = { publishResult: { id: string, phase: Phase } };

export type CorrectResultMutationVariables = Exact<{
  roundId: string | number;
  reason: string;
  excludeBidIds: Array<string | number> | string | number;
}>;


export type CorrectResultMutation = { correctResult: number };

export type ResultFreshnessQueryVariables = Exact<{
  roundId: string | number;
}>;


export type ResultFreshnessQuery = { resultVersions: Array<{ version: number, publishedAt: string | null }> };

export type SimulateCountQueryVariables = Exact<{
  input: SimulationInput;
}>;


export type SimulateCountQuery = { simulateCount: { pots: Array<{ name: string, budgetPence: number, voters: number, bids: Array<{ id: string, title: string, costPence: number, categories: Array<string>, areas: Array<string>, votes: number }>, outcomes: Array<{ rule: string, error: string | null, funded: Array<string>, spentPence: number, votersWithFundedChoice: number, averagePencePerVoter: number, constraints: { minVotes: number | null, minShare: string | null, exclusive: Array<Array<string>>, mustFund: Array<string>, categoryMax: Array<{ key: string, pence: number | null, share: string | null }>, categoryMin: Array<{ key: string, pence: number | null, share: string | null }>, areaMax: Array<{ key: string, pence: number | null, share: string | null }>, areaMin: Array<{ key: string, pence: number | null, share: string | null }> } | null, byCategory: Array<{ key: string, label: string, pence: number, moneyShare: number, voteShare: number }>, byArea: Array<{ key: string, label: string, pence: number, moneyShare: number, voteShare: number }> }> }> } };

export type VerifyRoundQueryVariables = Exact<{
  id: string | number;
}>;


export type VerifyRoundQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase, registerAvailable: boolean, schedule: { votingClosesAt: string | null }, eligibility: { relations: Array<Relation>, minAge: number | null, methods: Array<VerificationMethod>, postcodeAloneEnough: boolean }, pots: Array<{ area: { id: string, name: string, nameCy: string | null } }> }, myVerifications: Array<{ id: string, roundId: string, verified: boolean, held: boolean, methods: Array<VerificationMethod>, relation: Relation, inPersonReference: string, area: { id: string, name: string, nameCy: string | null } }> };

export type DeclareEligibilityMutationVariables = Exact<{
  roundId: string | number;
  person: PersonDetailsInput;
}>;


export type DeclareEligibilityMutation = { declareEligibility: { id: string, verified: boolean, held: boolean, methods: Array<VerificationMethod>, area: { id: string, name: string, nameCy: string | null } } };

export type RequestVerificationCodeMutationVariables = Exact<{
  roundId: string | number;
  channel: CodeChannel;
  to: string;
}>;


export type RequestVerificationCodeMutation = { requestVerificationCode: { sent: boolean, message: string } };

export type ConfirmVerificationCodeMutationVariables = Exact<{
  roundId: string | number;
  channel: CodeChannel;
  to: string;
  code: string;
}>;


export type ConfirmVerificationCodeMutation = { confirmVerificationCode: { id: string, verified: boolean, held: boolean, methods: Array<VerificationMethod> } };

export type MatchRegisterMutationVariables = Exact<{
  roundId: string | number;
}>;


export type MatchRegisterMutation = { matchRegister: { id: string, verified: boolean, held: boolean, methods: Array<VerificationMethod> } };

export type VotePageQueryVariables = Exact<{
  roundId: string | number;
  language?: Language;
}>;


export type VotePageQuery = { round: { id: string, title: string, titleCy: string | null, phase: Phase, constraintsInWords: Array<string>, schedule: { votingClosesAt: string | null }, ballot: { kind: BallotKind, minChoices: number | null, maxChoices: number | null, scoreMin: number | null, scoreMax: number | null, pointsTotal: number | null, pointsMaxPerBid: number | null }, pots: Array<{ amountPence: number, area: { id: string, name: string, nameCy: string | null } }> }, myVerifications: Array<{ roundId: string, verified: boolean, held: boolean, area: { id: string, name: string, nameCy: string | null } }>, myVote: { voted: boolean, lastVotedAt: string | null, channel: VoteChannel | null, canVote: boolean }, myBallot: { lines: Array<{ position: number, value: number | null, bid: { id: string } }> } | null };

export type BallotBidsQueryVariables = Exact<{
  roundId: string | number;
  areaId: string | number;
  after?: string | null | undefined;
}>;


export type BallotBidsQuery = { round: { bids: { nodes: Array<{ id: string, title: string, titleCy: string | null, summary: string, summaryCy: string | null, costPence: number, group: { name: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type CastBallotMutationVariables = Exact<{
  input: CastBallotInput;
}>;


export type CastBallotMutation = { castBallot: { castAt: string, replaced: boolean, retried: boolean, receipt: { code: string, key: string } } };

export type TurnoutQueryVariables = Exact<{
  roundId: string | number;
}>;


export type TurnoutQuery = { turnout: { voted: number, verified: number, byArea: Array<{ voted: number, verified: number, area: { id: string, name: string, nameCy: string | null } }>, byChannel: Array<{ channel: VoteChannel, voted: number }>, byAssurance: Array<{ assurance: string, voted: number }>, duplicates: Array<{ kept: VoteChannel, dropped: VoteChannel, people: number }> } };

export type CastAssistedBallotMutationVariables = Exact<{
  input: CastAssistedBallotInput;
}>;


export type CastAssistedBallotMutation = { castAssistedBallot: { castAt: string, replaced: boolean, retried: boolean, receipt: { code: string, key: string } } };

export type MyVoteQueryVariables = Exact<{
  roundId: string | number;
}>;


export type MyVoteQuery = { myVote: { voted: boolean, lastVotedAt: string | null, canVote: boolean } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const DeliveryPhotoFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}
    `, {"fragmentName":"DeliveryPhotoFields"}) as unknown as TypedDocumentString<DeliveryPhotoFieldsFragment, unknown>;
export const DeliveryUpdateFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeliveryUpdateFields on DeliveryUpdate {
  id
  body
  state
  reason
  createdAt
  decidedAt
  photos {
    ...DeliveryPhotoFields
  }
}
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}`, {"fragmentName":"DeliveryUpdateFields"}) as unknown as TypedDocumentString<DeliveryUpdateFieldsFragment, unknown>;
export const DeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeliveryFields on Delivery {
  id
  status
  statusReason
  awardPence
  spentPence
  overspendReason
  updatedAt
  milestones {
    title
    targetDate
    doneDate
  }
}
    `, {"fragmentName":"DeliveryFields"}) as unknown as TypedDocumentString<DeliveryFieldsFragment, unknown>;
export const DeliveryTotalsFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeliveryTotalsFields on DeliveryTotals {
  funded
  delivered
  cancelled
  promisedPence
  spentPence
}
    `, {"fragmentName":"DeliveryTotalsFields"}) as unknown as TypedDocumentString<DeliveryTotalsFieldsFragment, unknown>;
export const AreaPopulationFieldsFragmentDoc = new TypedDocumentString(`
    fragment AreaPopulationFields on AreaPopulation {
  source
  importedAt
  geographies
  people
  byAgeBand {
    band
    people
  }
}
    `, {"fragmentName":"AreaPopulationFields"}) as unknown as TypedDocumentString<AreaPopulationFieldsFragment, unknown>;
export const DeprivationLookupFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeprivationLookupFields on DeprivationLookup {
  source
  importedAt
  postcodes
  neighbourhoods
  postcodesWithoutDecile
}
    `, {"fragmentName":"DeprivationLookupFields"}) as unknown as TypedDocumentString<DeprivationLookupFieldsFragment, unknown>;
export const ParticipationGroupFieldsFragmentDoc = new TypedDocumentString(`
    fragment ParticipationGroupFields on ParticipationGroup {
  key
  area {
    id
    name
    nameCy
  }
  ageBand
  decile
  channel
  assurance
  notKnown
  voters
  suppressed
  population
  shareOfVoters
  shareOfPopulation
  rate
}
    `, {"fragmentName":"ParticipationGroupFields"}) as unknown as TypedDocumentString<ParticipationGroupFieldsFragment, unknown>;
export const ParticipationBreakdownFieldsFragmentDoc = new TypedDocumentString(`
    fragment ParticipationBreakdownFields on ParticipationBreakdown {
  groups {
    ...ParticipationGroupFields
  }
  representativeness
  lowest {
    key
  }
  highest {
    key
  }
}
    fragment ParticipationGroupFields on ParticipationGroup {
  key
  area {
    id
    name
    nameCy
  }
  ageBand
  decile
  channel
  assurance
  notKnown
  voters
  suppressed
  population
  shareOfVoters
  shareOfPopulation
  rate
}`, {"fragmentName":"ParticipationBreakdownFields"}) as unknown as TypedDocumentString<ParticipationBreakdownFieldsFragment, unknown>;
export const RoundParticipationFieldsFragmentDoc = new TypedDocumentString(`
    fragment RoundParticipationFields on RoundParticipation {
  voters
  eligiblePopulation
  turnout
  fromAge
  smallestGroupShown
  deprivationKnown
  byArea {
    ...ParticipationBreakdownFields
  }
  byAgeBand {
    ...ParticipationBreakdownFields
  }
  byDeprivationDecile {
    ...ParticipationBreakdownFields
  }
  byChannel {
    ...ParticipationBreakdownFields
  }
  byAssurance {
    ...ParticipationBreakdownFields
  }
}
    fragment ParticipationGroupFields on ParticipationGroup {
  key
  area {
    id
    name
    nameCy
  }
  ageBand
  decile
  channel
  assurance
  notKnown
  voters
  suppressed
  population
  shareOfVoters
  shareOfPopulation
  rate
}
fragment ParticipationBreakdownFields on ParticipationBreakdown {
  groups {
    ...ParticipationGroupFields
  }
  representativeness
  lowest {
    key
  }
  highest {
    key
  }
}`, {"fragmentName":"RoundParticipationFields"}) as unknown as TypedDocumentString<RoundParticipationFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = new TypedDocumentString(`
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
    `, {"fragmentName":"PageInfoFields"}) as unknown as TypedDocumentString<PageInfoFieldsFragment, unknown>;
export const CountConstraintsFieldsFragmentDoc = new TypedDocumentString(`
    fragment CountConstraintsFields on CountConstraints {
  categoryMax {
    key
    pence
    share
  }
  categoryMin {
    key
    pence
    share
  }
  areaMax {
    key
    pence
    share
  }
  areaMin {
    key
    pence
    share
  }
  minVotes
  minShare
  exclusive
  mustFund
}
    `, {"fragmentName":"CountConstraintsFields"}) as unknown as TypedDocumentString<CountConstraintsFieldsFragment, unknown>;
export const RemindersFieldsFragmentDoc = new TypedDocumentString(`
    fragment RemindersFields on Reminders {
  roundId
  channel
  contactHint
  language
}
    `, {"fragmentName":"RemindersFields"}) as unknown as TypedDocumentString<RemindersFieldsFragment, unknown>;
export const PotResultFieldsFragmentDoc = new TypedDocumentString(`
    fragment PotResultFields on PotResult {
  area {
    id
    name
    nameCy
  }
  budgetPence
  spentPence
  leftPence
  voters
  funded {
    bid {
      id
      title
      titleCy
    }
    amountPence
    support
    votes
  }
  unfunded {
    id
    title
    titleCy
    costPence
  }
  unfundedBids {
    bid {
      id
    }
    votes
  }
  turnoutByChannel {
    channel
    voted
  }
  explanation(language: $language)
  ballotsUrl
  resultUrl
  ballotsSha256
  resultSha256
}
    `, {"fragmentName":"PotResultFields"}) as unknown as TypedDocumentString<PotResultFieldsFragment, unknown>;
export const RoundResultFieldsFragmentDoc = new TypedDocumentString(`
    fragment RoundResultFields on RoundResult {
  version
  reason
  countedAt
  publishedAt
  provisional
  bundleUrl
  configurationSha256
  excludedBidIds
  pots {
    ...PotResultFields
  }
}
    fragment PotResultFields on PotResult {
  area {
    id
    name
    nameCy
  }
  budgetPence
  spentPence
  leftPence
  voters
  funded {
    bid {
      id
      title
      titleCy
    }
    amountPence
    support
    votes
  }
  unfunded {
    id
    title
    titleCy
    costPence
  }
  unfundedBids {
    bid {
      id
    }
    votes
  }
  turnoutByChannel {
    channel
    voted
  }
  explanation(language: $language)
  ballotsUrl
  resultUrl
  ballotsSha256
  resultSha256
}`, {"fragmentName":"RoundResultFields"}) as unknown as TypedDocumentString<RoundResultFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    displayName
    roles
    language
    groups {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const RequestSignInCodeDocument = new TypedDocumentString(`
    mutation RequestSignInCode($email: String!, $language: Language) {
  requestSignInCode(email: $email, language: $language) {
    sent
    message
  }
}
    `) as unknown as TypedDocumentString<RequestSignInCodeMutation, RequestSignInCodeMutationVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($email: String!, $code: String!, $language: Language) {
  signIn(email: $email, code: $code, language: $language) {
    token
    expiresAt
    account {
      id
      displayName
      roles
      language
    }
  }
}
    `) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SetLanguageDocument = new TypedDocumentString(`
    mutation SetLanguage($language: Language!) {
  setLanguage(language: $language) {
    id
    language
  }
}
    `) as unknown as TypedDocumentString<SetLanguageMutation, SetLanguageMutationVariables>;
export const SetDisplayNameDocument = new TypedDocumentString(`
    mutation SetDisplayName($name: String!) {
  setDisplayName(name: $name) {
    id
    displayName
  }
}
    `) as unknown as TypedDocumentString<SetDisplayNameMutation, SetDisplayNameMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const MyVerificationsDocument = new TypedDocumentString(`
    query MyVerifications {
  myVerifications {
    id
    roundId
    relation
    methods
    verified
    held
    verifiedAt
    ageCheckedAtLeast
    hasPhone
    hasEmail
    createdAt
    area {
      id
      name
      nameCy
    }
  }
  rounds(first: 50) {
    nodes {
      id
      title
      titleCy
      phase
      phaseChangedAt
      votingClosedAt
      schedule {
        votingOpensAt
        votingClosesAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyVerificationsQuery, MyVerificationsQueryVariables>;
export const DeleteMyVerificationDocument = new TypedDocumentString(`
    mutation DeleteMyVerification($roundId: ID!) {
  deleteMyVerification(roundId: $roundId)
}
    `) as unknown as TypedDocumentString<DeleteMyVerificationMutation, DeleteMyVerificationMutationVariables>;
export const MyGroupsAloneDocument = new TypedDocumentString(`
    query MyGroupsAlone {
  me {
    id
    groups {
      id
      name
      members(first: 2) {
        nodes {
          accountId
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyGroupsAloneQuery, MyGroupsAloneQueryVariables>;
export const DeleteMyAccountDocument = new TypedDocumentString(`
    mutation DeleteMyAccount($confirm: Boolean!) {
  deleteMyAccount(confirm: $confirm)
}
    `) as unknown as TypedDocumentString<DeleteMyAccountMutation, DeleteMyAccountMutationVariables>;
export const MyDataDocument = new TypedDocumentString(`
    query MyData {
  myData
}
    `) as unknown as TypedDocumentString<MyDataQuery, MyDataQueryVariables>;
export const RoundDeliveryPageDocument = new TypedDocumentString(`
    query RoundDeliveryPage($roundId: ID!, $areaId: ID) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
    pots {
      id
      area {
        id
        name
        nameCy
      }
    }
  }
  roundDelivery(roundId: $roundId, areaId: $areaId) {
    totals {
      ...DeliveryTotalsFields
    }
    deliveries {
      ...DeliveryFields
      bid {
        id
        title
        titleCy
        area {
          id
          name
          nameCy
        }
      }
      updates {
        ...DeliveryUpdateFields
      }
    }
  }
}
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}
fragment DeliveryUpdateFields on DeliveryUpdate {
  id
  body
  state
  reason
  createdAt
  decidedAt
  photos {
    ...DeliveryPhotoFields
  }
}
fragment DeliveryFields on Delivery {
  id
  status
  statusReason
  awardPence
  spentPence
  overspendReason
  updatedAt
  milestones {
    title
    targetDate
    doneDate
  }
}
fragment DeliveryTotalsFields on DeliveryTotals {
  funded
  delivered
  cancelled
  promisedPence
  spentPence
}`) as unknown as TypedDocumentString<RoundDeliveryPageQuery, RoundDeliveryPageQueryVariables>;
export const DeliveryFeedDocument = new TypedDocumentString(`
    query DeliveryFeed($roundId: ID!) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
  }
  deliveryUpdates(roundId: $roundId, first: 50) {
    id
    body
    createdAt
    decidedAt
    bid {
      id
      title
      titleCy
    }
    photos {
      ...DeliveryPhotoFields
    }
  }
  resultVersions(roundId: $roundId) {
    version
    publishedAt
  }
}
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}`) as unknown as TypedDocumentString<DeliveryFeedQuery, DeliveryFeedQueryVariables>;
export const BidDeliveryUpdatesDocument = new TypedDocumentString(`
    query BidDeliveryUpdates($id: ID!) {
  bid(id: $id) {
    id
    title
    titleCy
    group {
      id
      name
    }
    round {
      id
      title
      titleCy
      phase
    }
    delivery {
      ...DeliveryFields
      updates {
        ...DeliveryUpdateFields
      }
    }
  }
}
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}
fragment DeliveryUpdateFields on DeliveryUpdate {
  id
  body
  state
  reason
  createdAt
  decidedAt
  photos {
    ...DeliveryPhotoFields
  }
}
fragment DeliveryFields on Delivery {
  id
  status
  statusReason
  awardPence
  spentPence
  overspendReason
  updatedAt
  milestones {
    title
    targetDate
    doneDate
  }
}`) as unknown as TypedDocumentString<BidDeliveryUpdatesQuery, BidDeliveryUpdatesQueryVariables>;
export const PostDeliveryUpdateDocument = new TypedDocumentString(`
    mutation PostDeliveryUpdate($input: PostDeliveryUpdateInput!) {
  postDeliveryUpdate(input: $input) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<PostDeliveryUpdateMutation, PostDeliveryUpdateMutationVariables>;
export const StaffRoundDeliveryDocument = new TypedDocumentString(`
    query StaffRoundDelivery($roundId: ID!) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
  }
  roundDelivery(roundId: $roundId) {
    totals {
      ...DeliveryTotalsFields
    }
    deliveries {
      ...DeliveryFields
      bid {
        id
        title
        titleCy
        area {
          id
          name
          nameCy
        }
        group {
          id
          name
        }
      }
    }
  }
  deliveryUpdatesWaiting(roundId: $roundId) {
    id
    deliveryId
  }
}
    fragment DeliveryFields on Delivery {
  id
  status
  statusReason
  awardPence
  spentPence
  overspendReason
  updatedAt
  milestones {
    title
    targetDate
    doneDate
  }
}
fragment DeliveryTotalsFields on DeliveryTotals {
  funded
  delivered
  cancelled
  promisedPence
  spentPence
}`) as unknown as TypedDocumentString<StaffRoundDeliveryQuery, StaffRoundDeliveryQueryVariables>;
export const StaffBidDeliveryDocument = new TypedDocumentString(`
    query StaffBidDelivery($bidId: ID!) {
  bid(id: $bidId) {
    id
    title
    titleCy
    area {
      id
      name
      nameCy
    }
    group {
      id
      name
    }
    round {
      id
      title
      titleCy
      phase
    }
    delivery {
      ...DeliveryFields
      updates {
        ...DeliveryUpdateFields
      }
    }
  }
}
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}
fragment DeliveryUpdateFields on DeliveryUpdate {
  id
  body
  state
  reason
  createdAt
  decidedAt
  photos {
    ...DeliveryPhotoFields
  }
}
fragment DeliveryFields on Delivery {
  id
  status
  statusReason
  awardPence
  spentPence
  overspendReason
  updatedAt
  milestones {
    title
    targetDate
    doneDate
  }
}`) as unknown as TypedDocumentString<StaffBidDeliveryQuery, StaffBidDeliveryQueryVariables>;
export const DecideDeliveryUpdateDocument = new TypedDocumentString(`
    mutation DecideDeliveryUpdate($updateId: ID!, $approve: Boolean!, $reason: String) {
  decideDeliveryUpdate(updateId: $updateId, approve: $approve, reason: $reason) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<DecideDeliveryUpdateMutation, DecideDeliveryUpdateMutationVariables>;
export const SetDeliveryStatusDocument = new TypedDocumentString(`
    mutation SetDeliveryStatus($deliveryId: ID!, $status: DeliveryStatus!, $reason: String) {
  setDeliveryStatus(deliveryId: $deliveryId, status: $status, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<SetDeliveryStatusMutation, SetDeliveryStatusMutationVariables>;
export const SetDeliverySpendingDocument = new TypedDocumentString(`
    mutation SetDeliverySpending($deliveryId: ID!, $spentPence: Pence!, $reason: String) {
  setDeliverySpending(
    deliveryId: $deliveryId
    spentPence: $spentPence
    reason: $reason
  ) {
    id
    spentPence
  }
}
    `) as unknown as TypedDocumentString<SetDeliverySpendingMutation, SetDeliverySpendingMutationVariables>;
export const SetDeliveryMilestonesDocument = new TypedDocumentString(`
    mutation SetDeliveryMilestones($deliveryId: ID!, $milestones: [MilestoneInput!]!) {
  setDeliveryMilestones(deliveryId: $deliveryId, milestones: $milestones) {
    id
  }
}
    `) as unknown as TypedDocumentString<SetDeliveryMilestonesMutation, SetDeliveryMilestonesMutationVariables>;
export const MyGroupsDocument = new TypedDocumentString(`
    query MyGroups {
  me {
    id
    groups {
      id
      name
      area {
        id
        name
      }
    }
  }
  myGroupInvitations {
    id
    status
    expiresAt
    group {
      id
      name
      area {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyGroupsQuery, MyGroupsQueryVariables>;
export const GroupAreasDocument = new TypedDocumentString(`
    query GroupAreas($after: String) {
  areas(first: 50, after: $after) {
    nodes {
      id
      name
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<GroupAreasQuery, GroupAreasQueryVariables>;
export const GroupPageDocument = new TypedDocumentString(`
    query GroupPage($id: ID!) {
  group(id: $id) {
    id
    name
    description
    contactEmail
    area {
      id
      name
    }
    bids(first: 50) {
      nodes {
        id
        title
        costPence
        status
        reviewReason
        round {
          id
          title
          phase
        }
        delivery {
          id
          status
        }
      }
    }
  }
  me {
    id
    groups {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<GroupPageQuery, GroupPageQueryVariables>;
export const GroupMembersDocument = new TypedDocumentString(`
    query GroupMembers($id: ID!) {
  group(id: $id) {
    id
    members(first: 50) {
      nodes {
        accountId
        displayName
        joinedAt
      }
    }
    pendingInvitations {
      id
      status
      createdAt
      expiresAt
      addressHint
    }
  }
}
    `) as unknown as TypedDocumentString<GroupMembersQuery, GroupMembersQueryVariables>;
export const RegisterGroupDocument = new TypedDocumentString(`
    mutation RegisterGroup($input: RegisterGroupInput!) {
  registerGroup(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RegisterGroupMutation, RegisterGroupMutationVariables>;
export const InviteGroupMemberDocument = new TypedDocumentString(`
    mutation InviteGroupMember($groupId: ID!, $email: String!) {
  inviteGroupMember(groupId: $groupId, email: $email) {
    id
  }
}
    `) as unknown as TypedDocumentString<InviteGroupMemberMutation, InviteGroupMemberMutationVariables>;
export const AnswerGroupInvitationDocument = new TypedDocumentString(`
    mutation AnswerGroupInvitation($invitationId: ID!, $accept: Boolean!) {
  answerGroupInvitation(invitationId: $invitationId, accept: $accept) {
    id
    status
    group {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<AnswerGroupInvitationMutation, AnswerGroupInvitationMutationVariables>;
export const RevokeGroupInvitationDocument = new TypedDocumentString(`
    mutation RevokeGroupInvitation($invitationId: ID!) {
  revokeGroupInvitation(invitationId: $invitationId) {
    id
  }
}
    `) as unknown as TypedDocumentString<RevokeGroupInvitationMutation, RevokeGroupInvitationMutationVariables>;
export const RemoveGroupMemberDocument = new TypedDocumentString(`
    mutation RemoveGroupMember($groupId: ID!, $accountId: ID!) {
  removeGroupMember(groupId: $groupId, accountId: $accountId) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemoveGroupMemberMutation, RemoveGroupMemberMutationVariables>;
export const LeaveGroupDocument = new TypedDocumentString(`
    mutation LeaveGroup($groupId: ID!) {
  leaveGroup(groupId: $groupId) {
    id
  }
}
    `) as unknown as TypedDocumentString<LeaveGroupMutation, LeaveGroupMutationVariables>;
export const BidFormDataDocument = new TypedDocumentString(`
    query BidFormData($groupId: ID!) {
  group(id: $groupId) {
    id
    name
    area {
      id
      name
    }
  }
  rounds(phase: BIDS_OPEN, first: 20) {
    nodes {
      id
      title
      pots {
        area {
          id
        }
        amountDisplay
        amountPence
      }
    }
  }
  bidCategories
}
    `) as unknown as TypedDocumentString<BidFormDataQuery, BidFormDataQueryVariables>;
export const SubmitBidDocument = new TypedDocumentString(`
    mutation SubmitBid($input: SubmitBidInput!) {
  submitBid(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SubmitBidMutation, SubmitBidMutationVariables>;
export const UpdateBidDocument = new TypedDocumentString(`
    mutation UpdateBid($id: ID!, $details: BidDetailsInput!) {
  updateBid(id: $id, details: $details) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<UpdateBidMutation, UpdateBidMutationVariables>;
export const ResubmitBidDocument = new TypedDocumentString(`
    mutation ResubmitBid($id: ID!) {
  resubmitBid(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ResubmitBidMutation, ResubmitBidMutationVariables>;
export const WithdrawBidDocument = new TypedDocumentString(`
    mutation WithdrawBid($id: ID!) {
  withdrawBid(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<WithdrawBidMutation, WithdrawBidMutationVariables>;
export const BidDraftDocument = new TypedDocumentString(`
    query BidDraft($id: ID!, $groupId: ID!) {
  bid(id: $id) {
    id
    title
    summary
    description
    titleCy
    summaryCy
    descriptionCy
    costPence
    category
    status
    location {
      address
    }
    locality {
      id
      name
    }
    group {
      id
    }
    round {
      id
      title
      pots {
        area {
          id
        }
        amountDisplay
        amountPence
      }
    }
  }
  group(id: $groupId) {
    id
    name
    area {
      id
      name
    }
  }
  bidCategories
}
    `) as unknown as TypedDocumentString<BidDraftQuery, BidDraftQueryVariables>;
export const SaveBidDraftDocument = new TypedDocumentString(`
    mutation SaveBidDraft($input: SaveBidDraftInput!) {
  saveBidDraft(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<SaveBidDraftMutation, SaveBidDraftMutationVariables>;
export const UpdateBidDraftDocument = new TypedDocumentString(`
    mutation UpdateBidDraft($id: ID!, $details: BidDraftInput!) {
  updateBidDraft(id: $id, details: $details) {
    id
  }
}
    `) as unknown as TypedDocumentString<UpdateBidDraftMutation, UpdateBidDraftMutationVariables>;
export const SubmitBidDraftDocument = new TypedDocumentString(`
    mutation SubmitBidDraft($id: ID!) {
  submitBidDraft(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<SubmitBidDraftMutation, SubmitBidDraftMutationVariables>;
export const DeleteBidDraftDocument = new TypedDocumentString(`
    mutation DeleteBidDraft($id: ID!) {
  deleteBidDraft(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteBidDraftMutation, DeleteBidDraftMutationVariables>;
export const OfficerRoundsDocument = new TypedDocumentString(`
    query OfficerRounds($after: String) {
  rounds(first: 20, after: $after) {
    nodes {
      id
      title
      phase
      pots {
        amountDisplay
        area {
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<OfficerRoundsQuery, OfficerRoundsQueryVariables>;
export const OfficerAreasDocument = new TypedDocumentString(`
    query OfficerAreas($after: String) {
  areas(first: 20, after: $after) {
    nodes {
      id
      name
      kind
      coverage(first: 8) {
        nodes
        pageInfo {
          hasNextPage
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<OfficerAreasQuery, OfficerAreasQueryVariables>;
export const CreateAreaDocument = new TypedDocumentString(`
    mutation CreateArea($input: CreateAreaInput!) {
  createArea(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateAreaMutation, CreateAreaMutationVariables>;
export const SetAreaCoverageDocument = new TypedDocumentString(`
    mutation SetAreaCoverage($areaId: ID!, $coverage: [String!]!) {
  setAreaCoverage(areaId: $areaId, coverage: $coverage) {
    id
  }
}
    `) as unknown as TypedDocumentString<SetAreaCoverageMutation, SetAreaCoverageMutationVariables>;
export const AreaEditDocument = new TypedDocumentString(`
    query AreaEdit($id: ID!, $after: String) {
  area(id: $id) {
    id
    name
    kind
    description
    nameCy
    descriptionCy
    coverage(first: 300, after: $after) {
      nodes
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AreaEditQuery, AreaEditQueryVariables>;
export const CreateRoundDocument = new TypedDocumentString(`
    mutation CreateRound($input: CreateRoundInput!) {
  createRound(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateRoundMutation, CreateRoundMutationVariables>;
export const UpdateRoundDocument = new TypedDocumentString(`
    mutation UpdateRound($id: ID!, $input: UpdateRoundInput!) {
  updateRound(id: $id, input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<UpdateRoundMutation, UpdateRoundMutationVariables>;
export const UpdateRoundSettingsDocument = new TypedDocumentString(`
    mutation UpdateRoundSettings($id: ID!, $ballot: BallotSettingsInput!, $countingRule: CountingRuleInput!) {
  updateRoundSettings(id: $id, ballot: $ballot, countingRule: $countingRule) {
    id
  }
}
    `) as unknown as TypedDocumentString<UpdateRoundSettingsMutation, UpdateRoundSettingsMutationVariables>;
export const AdvanceRoundDocument = new TypedDocumentString(`
    mutation AdvanceRound($id: ID!, $to: Phase!) {
  advanceRound(id: $id, to: $to) {
    id
    phase
  }
}
    `) as unknown as TypedDocumentString<AdvanceRoundMutation, AdvanceRoundMutationVariables>;
export const ReviewBidsDocument = new TypedDocumentString(`
    query ReviewBids($id: ID!, $status: BidStatus, $after: String) {
  round(id: $id) {
    id
    title
    phase
    bids(status: $status, first: 20, after: $after) {
      nodes {
        id
        title
        summary
        costDisplay
        category
        status
        reviewReason
        area {
          name
        }
        group {
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReviewBidsQuery, ReviewBidsQueryVariables>;
export const ReviewBidDocument = new TypedDocumentString(`
    mutation ReviewBid($id: ID!, $decision: ReviewDecision!, $reason: String) {
  reviewBid(id: $id, decision: $decision, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ReviewBidMutation, ReviewBidMutationVariables>;
export const ImportRegisterDocument = new TypedDocumentString(`
    mutation ImportRegister($input: ImportRegisterInput!) {
  importRegister(input: $input) {
    importId
    rowsAccepted
    rowsRefused
    refused {
      line
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<ImportRegisterMutation, ImportRegisterMutationVariables>;
export const RecordInPersonVerificationDocument = new TypedDocumentString(`
    mutation RecordInPersonVerification($roundId: ID!, $input: InPersonVerificationInput!) {
  recordInPersonVerification(roundId: $roundId, input: $input) {
    id
    verified
    area {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<RecordInPersonVerificationMutation, RecordInPersonVerificationMutationVariables>;
export const RoundVerificationsDocument = new TypedDocumentString(`
    query RoundVerifications($roundId: ID!, $after: String) {
  verifications(roundId: $roundId, first: 100, after: $after) {
    nodes {
      verified
      held
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<RoundVerificationsQuery, RoundVerificationsQueryVariables>;
export const RoundConflictsDocument = new TypedDocumentString(`
    query RoundConflicts($roundId: ID!) {
  verificationConflicts(roundId: $roundId, first: 50) {
    nodes {
      id
      kind
      createdAt
      resolvedAt
      resolution
    }
  }
}
    `) as unknown as TypedDocumentString<RoundConflictsQuery, RoundConflictsQueryVariables>;
export const ResolveVerificationConflictDocument = new TypedDocumentString(`
    mutation ResolveVerificationConflict($id: ID!, $resolution: ConflictResolution!) {
  resolveVerificationConflict(id: $id, resolution: $resolution) {
    id
  }
}
    `) as unknown as TypedDocumentString<ResolveVerificationConflictMutation, ResolveVerificationConflictMutationVariables>;
export const GrantRoleDocument = new TypedDocumentString(`
    mutation GrantRole($email: String!, $role: Role!) {
  grantRole(email: $email, role: $role) {
    id
    roles
    hasSignedIn
  }
}
    `) as unknown as TypedDocumentString<GrantRoleMutation, GrantRoleMutationVariables>;
export const RoleHoldersDocument = new TypedDocumentString(`
    query RoleHolders($first: Int!, $after: String) {
  roleHolders(first: $first, after: $after) {
    nodes {
      id
      displayName
      roles
      hasSignedIn
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<RoleHoldersQuery, RoleHoldersQueryVariables>;
export const RevokeRoleDocument = new TypedDocumentString(`
    mutation RevokeRole($accountId: ID!, $role: Role!) {
  revokeRole(accountId: $accountId, role: $role) {
    id
    roles
  }
}
    `) as unknown as TypedDocumentString<RevokeRoleMutation, RevokeRoleMutationVariables>;
export const UpdateAreaDocument = new TypedDocumentString(`
    mutation UpdateArea($areaId: ID!, $input: UpdateAreaInput!) {
  updateArea(areaId: $areaId, input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<UpdateAreaMutation, UpdateAreaMutationVariables>;
export const IssueVotingCodesDocument = new TypedDocumentString(`
    mutation IssueVotingCodes($input: IssueVotingCodesInput!) {
  issueVotingCodes(input: $input) {
    pdfBase64
  }
}
    `) as unknown as TypedDocumentString<IssueVotingCodesMutation, IssueVotingCodesMutationVariables>;
export const IssueVotingCodeBatchDocument = new TypedDocumentString(`
    mutation IssueVotingCodeBatch($input: IssueVotingCodesInput!) {
  issueVotingCodes(input: $input) {
    batchId
  }
}
    `) as unknown as TypedDocumentString<IssueVotingCodeBatchMutation, IssueVotingCodeBatchMutationVariables>;
export const VotingCodeBatchesDocument = new TypedDocumentString(`
    query VotingCodeBatches($roundId: ID!, $after: String) {
  votingCodeBatches(roundId: $roundId, first: 50, after: $after) {
    nodes {
      id
      letters
      remaining
      issuedAt
      keptUntil
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<VotingCodeBatchesQuery, VotingCodeBatchesQueryVariables>;
export const ReprintVotingCodeLettersDocument = new TypedDocumentString(`
    mutation ReprintVotingCodeLetters($batchId: ID!, $pdf: Boolean!) {
  reprintVotingCodeLetters(batchId: $batchId) {
    batchId
    issued
    pdfBase64 @include(if: $pdf)
    csv @skip(if: $pdf)
  }
}
    `) as unknown as TypedDocumentString<ReprintVotingCodeLettersMutation, ReprintVotingCodeLettersMutationVariables>;
export const PostVotingCodeLettersDocument = new TypedDocumentString(`
    mutation PostVotingCodeLetters($batchId: ID!) {
  postVotingCodeLetters(batchId: $batchId) {
    batch {
      id
      letters
    }
    posted
  }
}
    `) as unknown as TypedDocumentString<PostVotingCodeLettersMutation, PostVotingCodeLettersMutationVariables>;
export const CollectVotingCodeLettersDocument = new TypedDocumentString(`
    mutation CollectVotingCodeLetters($batchId: ID!) {
  collectVotingCodeLetters(batchId: $batchId) {
    id
    letters
  }
}
    `) as unknown as TypedDocumentString<CollectVotingCodeLettersMutation, CollectVotingCodeLettersMutationVariables>;
export const PaperFormVoterDocument = new TypedDocumentString(`
    query PaperFormVoter($roundId: ID!, $votingCode: String!) {
  paperFormVoter(roundId: $roundId, votingCode: $votingCode) {
    id
    area {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PaperFormVoterQuery, PaperFormVoterQueryVariables>;
export const PopulationAreasDocument = new TypedDocumentString(`
    query PopulationAreas($after: String) {
  areas(first: 20, after: $after) {
    nodes {
      id
      name
      nameCy
      population {
        ...AreaPopulationFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AreaPopulationFields on AreaPopulation {
  source
  importedAt
  geographies
  people
  byAgeBand {
    band
    people
  }
}`) as unknown as TypedDocumentString<PopulationAreasQuery, PopulationAreasQueryVariables>;
export const AreaPopulationDocument = new TypedDocumentString(`
    query AreaPopulation($id: ID!) {
  area(id: $id) {
    id
    name
    nameCy
    population {
      ...AreaPopulationFields
    }
  }
}
    fragment AreaPopulationFields on AreaPopulation {
  source
  importedAt
  geographies
  people
  byAgeBand {
    band
    people
  }
}`) as unknown as TypedDocumentString<AreaPopulationQuery, AreaPopulationQueryVariables>;
export const DeprivationLookupStatusDocument = new TypedDocumentString(`
    query DeprivationLookupStatus {
  deprivationLookup {
    ...DeprivationLookupFields
  }
}
    fragment DeprivationLookupFields on DeprivationLookup {
  source
  importedAt
  postcodes
  neighbourhoods
  postcodesWithoutDecile
}`) as unknown as TypedDocumentString<DeprivationLookupStatusQuery, DeprivationLookupStatusQueryVariables>;
export const ImportPopulationDocument = new TypedDocumentString(`
    mutation ImportPopulation($input: ImportPopulationInput!) {
  importPopulation(input: $input) {
    ...AreaPopulationFields
  }
}
    fragment AreaPopulationFields on AreaPopulation {
  source
  importedAt
  geographies
  people
  byAgeBand {
    band
    people
  }
}`) as unknown as TypedDocumentString<ImportPopulationMutation, ImportPopulationMutationVariables>;
export const ImportDeprivationDocument = new TypedDocumentString(`
    mutation ImportDeprivation($input: ImportDeprivationInput!) {
  importDeprivation(input: $input) {
    ...DeprivationLookupFields
  }
}
    fragment DeprivationLookupFields on DeprivationLookup {
  source
  importedAt
  postcodes
  neighbourhoods
  postcodesWithoutDecile
}`) as unknown as TypedDocumentString<ImportDeprivationMutation, ImportDeprivationMutationVariables>;
export const RoundParticipationDocument = new TypedDocumentString(`
    query RoundParticipation($roundId: ID!) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
    participation {
      ...RoundParticipationFields
    }
  }
}
    fragment ParticipationGroupFields on ParticipationGroup {
  key
  area {
    id
    name
    nameCy
  }
  ageBand
  decile
  channel
  assurance
  notKnown
  voters
  suppressed
  population
  shareOfVoters
  shareOfPopulation
  rate
}
fragment ParticipationBreakdownFields on ParticipationBreakdown {
  groups {
    ...ParticipationGroupFields
  }
  representativeness
  lowest {
    key
  }
  highest {
    key
  }
}
fragment RoundParticipationFields on RoundParticipation {
  voters
  eligiblePopulation
  turnout
  fromAge
  smallestGroupShown
  deprivationKnown
  byArea {
    ...ParticipationBreakdownFields
  }
  byAgeBand {
    ...ParticipationBreakdownFields
  }
  byDeprivationDecile {
    ...ParticipationBreakdownFields
  }
  byChannel {
    ...ParticipationBreakdownFields
  }
  byAssurance {
    ...ParticipationBreakdownFields
  }
}`) as unknown as TypedDocumentString<RoundParticipationQuery, RoundParticipationQueryVariables>;
export const RoundParticipationShownDocument = new TypedDocumentString(`
    query RoundParticipationShown($roundId: ID!) {
  round(id: $roundId) {
    id
    participation {
      voters
    }
  }
}
    `) as unknown as TypedDocumentString<RoundParticipationShownQuery, RoundParticipationShownQueryVariables>;
export const RoundOutreachDocument = new TypedDocumentString(`
    query RoundOutreach($roundId: ID!) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
    participation {
      voters
      fromAge
      smallestGroupShown
    }
    outreach {
      area {
        id
        name
        nameCy
      }
      ageBand
      voters
      population
      shareOfVoters
      shareOfPopulation
      rate
      remindersByEmail
      remindersByText
    }
  }
}
    `) as unknown as TypedDocumentString<RoundOutreachQuery, RoundOutreachQueryVariables>;
export const AreasCoverageDocument = new TypedDocumentString(`
    query AreasCoverage($after: String) {
  areas(first: 5, after: $after) {
    nodes {
      id
      name
      coverage(first: 60) {
        nodes
        pageInfo {
          ...PageInfoFields
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<AreasCoverageQuery, AreasCoverageQueryVariables>;
export const AreaCoverageMoreDocument = new TypedDocumentString(`
    query AreaCoverageMore($id: ID!, $after: String) {
  area(id: $id) {
    id
    coverage(first: 300, after: $after) {
      nodes
      pageInfo {
        ...PageInfoFields
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<AreaCoverageMoreQuery, AreaCoverageMoreQueryVariables>;
export const AreaRoundsDocument = new TypedDocumentString(`
    query AreaRounds($areaId: ID!, $after: String) {
  area(id: $areaId) {
    id
    name
    nameCy
    kind
    description
    descriptionCy
  }
  rounds(first: 20, after: $after) {
    nodes {
      id
      title
      titleCy
      description
      descriptionCy
      phase
      phaseChangedAt
      votingClosedAt
      schedule {
        votingOpensAt
        votingClosesAt
      }
      pots {
        id
        amountPence
        amountDisplay
        area {
          id
          name
          nameCy
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<AreaRoundsQuery, AreaRoundsQueryVariables>;
export const RoundPageDocument = new TypedDocumentString(`
    query RoundPage($id: ID!, $language: Language! = EN) {
  round(id: $id) {
    id
    title
    description
    titleCy
    descriptionCy
    phase
    phaseChangedAt
    votingClosedAt
    settingsFrozen
    closeCheckpoint
    closeCheckpointSignature
    observing
    schedule {
      bidsOpenAt
      bidsCloseAt
      votingOpensAt
      votingClosesAt
    }
    ballot {
      kind
      minChoices
      maxChoices
      scoreMin
      scoreMax
      pointsTotal
      pointsMaxPerBid
    }
    countingRule {
      name
      tieBreak
      seed
      minSupport
      rankPoints
      seats
      constraints {
        ...CountConstraintsFields
      }
    }
    constraintsInWords(language: $language)
    eligibility {
      relations
      minAge
      methods
      postcodeAloneEnough
      acceptLowAssurance
    }
    pots {
      id
      amountPence
      amountDisplay
      area {
        id
        name
        nameCy
      }
    }
  }
}
    fragment CountConstraintsFields on CountConstraints {
  categoryMax {
    key
    pence
    share
  }
  categoryMin {
    key
    pence
    share
  }
  areaMax {
    key
    pence
    share
  }
  areaMin {
    key
    pence
    share
  }
  minVotes
  minShare
  exclusive
  mustFund
}`) as unknown as TypedDocumentString<RoundPageQuery, RoundPageQueryVariables>;
export const RoundBidsDocument = new TypedDocumentString(`
    query RoundBids($id: ID!, $areaId: ID!, $category: String, $search: String, $after: String) {
  round(id: $id) {
    id
    title
    titleCy
    phase
    phaseChangedAt
    votingClosedAt
    schedule {
      votingOpensAt
      votingClosesAt
    }
    pots {
      id
      amountPence
      amountDisplay
      area {
        id
        name
        nameCy
      }
    }
    bids(
      areaId: $areaId
      category: $category
      search: $search
      first: 20
      after: $after
    ) {
      nodes {
        id
        title
        titleCy
        summary
        summaryCy
        costPence
        costDisplay
        category
        status
        group {
          id
          name
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
  bidCategories
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}`) as unknown as TypedDocumentString<RoundBidsQuery, RoundBidsQueryVariables>;
export const ObserveRoundDocument = new TypedDocumentString(`
    mutation ObserveRound($roundId: ID!, $email: String!) {
  observeRound(roundId: $roundId, email: $email) {
    id
    observing
  }
}
    `) as unknown as TypedDocumentString<ObserveRoundMutation, ObserveRoundMutationVariables>;
export const StopObservingRoundDocument = new TypedDocumentString(`
    mutation StopObservingRound($roundId: ID!) {
  stopObservingRound(roundId: $roundId) {
    id
    observing
  }
}
    `) as unknown as TypedDocumentString<StopObservingRoundMutation, StopObservingRoundMutationVariables>;
export const BidPageDocument = new TypedDocumentString(`
    query BidPage($id: ID!) {
  bid(id: $id) {
    id
    title
    summary
    description
    titleCy
    summaryCy
    descriptionCy
    costPence
    costDisplay
    category
    status
    reviewReason
    reviewHistory {
      decision
      reason
      reviewedAt
    }
    location {
      address
      latitude
      longitude
    }
    area {
      id
      name
      nameCy
    }
    locality {
      id
      name
      nameCy
    }
    group {
      id
      name
      description
      contactEmail
    }
    round {
      id
      title
      titleCy
      phase
      phaseChangedAt
      votingClosedAt
      schedule {
        votingOpensAt
        votingClosesAt
      }
    }
    delivery {
      ...DeliveryFields
      updates {
        ...DeliveryUpdateFields
      }
    }
  }
}
    fragment DeliveryPhotoFields on DeliveryPhoto {
  id
  url
  altText
  width
  height
}
fragment DeliveryUpdateFields on DeliveryUpdate {
  id
  body
  state
  reason
  createdAt
  decidedAt
  photos {
    ...DeliveryPhotoFields
  }
}
fragment DeliveryFields on Delivery {
  id
  status
  statusReason
  awardPence
  spentPence
  overspendReason
  updatedAt
  milestones {
    title
    targetDate
    doneDate
  }
}`) as unknown as TypedDocumentString<BidPageQuery, BidPageQueryVariables>;
export const StartPageDocument = new TypedDocumentString(`
    query StartPage {
  voting: rounds(phase: VOTING, first: 50) {
    nodes {
      id
      title
      titleCy
      phase
    }
  }
  rounds(first: 20) {
    nodes {
      id
      title
      titleCy
      phase
    }
  }
}
    `) as unknown as TypedDocumentString<StartPageQuery, StartPageQueryVariables>;
export const BidCategoriesDocument = new TypedDocumentString(`
    query BidCategories {
  bidCategories
}
    `) as unknown as TypedDocumentString<BidCategoriesQuery, BidCategoriesQueryVariables>;
export const RemindersRoundDocument = new TypedDocumentString(`
    query RemindersRound($id: ID!) {
  round(id: $id) {
    id
    title
    titleCy
    phase
    phaseChangedAt
    votingClosedAt
    schedule {
      votingOpensAt
      votingClosesAt
    }
  }
  myVerifications {
    id
    roundId
    verified
  }
  myReminders {
    ...RemindersFields
  }
  reminderChannels
}
    fragment RemindersFields on Reminders {
  roundId
  channel
  contactHint
  language
}`) as unknown as TypedDocumentString<RemindersRoundQuery, RemindersRoundQueryVariables>;
export const ReminderChannelsDocument = new TypedDocumentString(`
    query ReminderChannels {
  reminderChannels
}
    `) as unknown as TypedDocumentString<ReminderChannelsQuery, ReminderChannelsQueryVariables>;
export const MyRemindersDocument = new TypedDocumentString(`
    query MyReminders {
  myReminders {
    ...RemindersFields
  }
}
    fragment RemindersFields on Reminders {
  roundId
  channel
  contactHint
  language
}`) as unknown as TypedDocumentString<MyRemindersQuery, MyRemindersQueryVariables>;
export const SetRemindersDocument = new TypedDocumentString(`
    mutation SetReminders($input: SetRemindersInput!) {
  setReminders(input: $input) {
    ...RemindersFields
  }
}
    fragment RemindersFields on Reminders {
  roundId
  channel
  contactHint
  language
}`) as unknown as TypedDocumentString<SetRemindersMutation, SetRemindersMutationVariables>;
export const StopRemindersDocument = new TypedDocumentString(`
    mutation StopReminders($roundId: ID) {
  stopReminders(roundId: $roundId)
}
    `) as unknown as TypedDocumentString<StopRemindersMutation, StopRemindersMutationVariables>;
export const StopRemindersByLinkDocument = new TypedDocumentString(`
    mutation StopRemindersByLink($subscription: ID!, $token: String!) {
  stopRemindersByLink(subscription: $subscription, token: $token)
}
    `) as unknown as TypedDocumentString<StopRemindersByLinkMutation, StopRemindersByLinkMutationVariables>;
export const RoundResultPageDocument = new TypedDocumentString(`
    query RoundResultPage($roundId: ID!, $version: Int, $language: Language = EN) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
    closeCheckpoint
    closeCheckpointSignature
    countingRule {
      name
    }
  }
  roundResult(roundId: $roundId, version: $version) {
    ...RoundResultFields
  }
  resultVersions(roundId: $roundId) {
    version
    reason
    countedAt
    publishedAt
  }
}
    fragment PotResultFields on PotResult {
  area {
    id
    name
    nameCy
  }
  budgetPence
  spentPence
  leftPence
  voters
  funded {
    bid {
      id
      title
      titleCy
    }
    amountPence
    support
    votes
  }
  unfunded {
    id
    title
    titleCy
    costPence
  }
  unfundedBids {
    bid {
      id
    }
    votes
  }
  turnoutByChannel {
    channel
    voted
  }
  explanation(language: $language)
  ballotsUrl
  resultUrl
  ballotsSha256
  resultSha256
}
fragment RoundResultFields on RoundResult {
  version
  reason
  countedAt
  publishedAt
  provisional
  bundleUrl
  configurationSha256
  excludedBidIds
  pots {
    ...PotResultFields
  }
}`) as unknown as TypedDocumentString<RoundResultPageQuery, RoundResultPageQueryVariables>;
export const ReceiptRoundDocument = new TypedDocumentString(`
    query ReceiptRound($roundId: ID!) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
  }
}
    `) as unknown as TypedDocumentString<ReceiptRoundQuery, ReceiptRoundQueryVariables>;
export const ReceiptProofDocument = new TypedDocumentString(`
    query ReceiptProof($roundId: ID!, $code: String!) {
  receiptProof(roundId: $roundId, code: $code) {
    code
    commitment
    leafIndex
    treeSize
    hashes
    root
    verified
  }
}
    `) as unknown as TypedDocumentString<ReceiptProofQuery, ReceiptProofQueryVariables>;
export const StaffRoundResultDocument = new TypedDocumentString(`
    query StaffRoundResult($roundId: ID!, $language: Language = EN) {
  round(id: $roundId) {
    id
    countError
  }
  roundResult(roundId: $roundId) {
    ...RoundResultFields
  }
  resultVersions(roundId: $roundId) {
    version
    reason
    countedAt
    publishedAt
  }
}
    fragment PotResultFields on PotResult {
  area {
    id
    name
    nameCy
  }
  budgetPence
  spentPence
  leftPence
  voters
  funded {
    bid {
      id
      title
      titleCy
    }
    amountPence
    support
    votes
  }
  unfunded {
    id
    title
    titleCy
    costPence
  }
  unfundedBids {
    bid {
      id
    }
    votes
  }
  turnoutByChannel {
    channel
    voted
  }
  explanation(language: $language)
  ballotsUrl
  resultUrl
  ballotsSha256
  resultSha256
}
fragment RoundResultFields on RoundResult {
  version
  reason
  countedAt
  publishedAt
  provisional
  bundleUrl
  configurationSha256
  excludedBidIds
  pots {
    ...PotResultFields
  }
}`) as unknown as TypedDocumentString<StaffRoundResultQuery, StaffRoundResultQueryVariables>;
export const PotCsvDocument = new TypedDocumentString(`
    query PotCsv($roundId: ID!, $version: Int!) {
  roundResult(roundId: $roundId, version: $version) {
    version
    pots {
      ballotsUrl
      csv
    }
  }
}
    `) as unknown as TypedDocumentString<PotCsvQuery, PotCsvQueryVariables>;
export const CountRoundDocument = new TypedDocumentString(`
    mutation CountRound($roundId: ID!) {
  countRound(roundId: $roundId) {
    id
    phase
  }
}
    `) as unknown as TypedDocumentString<CountRoundMutation, CountRoundMutationVariables>;
export const PublishResultDocument = new TypedDocumentString(`
    mutation PublishResult($roundId: ID!) {
  publishResult(roundId: $roundId) {
    id
    phase
  }
}
    `) as unknown as TypedDocumentString<PublishResultMutation, PublishResultMutationVariables>;
export const CorrectResultDocument = new TypedDocumentString(`
    mutation CorrectResult($roundId: ID!, $reason: String!, $excludeBidIds: [ID!]!) {
  correctResult(roundId: $roundId, reason: $reason, excludeBidIds: $excludeBidIds)
}
    `) as unknown as TypedDocumentString<CorrectResultMutation, CorrectResultMutationVariables>;
export const ResultFreshnessDocument = new TypedDocumentString(`
    query ResultFreshness($roundId: ID!) {
  resultVersions(roundId: $roundId) {
    version
    publishedAt
  }
}
    `) as unknown as TypedDocumentString<ResultFreshnessQuery, ResultFreshnessQueryVariables>;
export const SimulateCountDocument = new TypedDocumentString(`
    query SimulateCount($input: SimulationInput!) {
  simulateCount(input: $input) {
    pots {
      name
      budgetPence
      voters
      bids {
        id
        title
        costPence
        categories
        areas
        votes
      }
      outcomes {
        rule
        error
        funded
        spentPence
        votersWithFundedChoice
        averagePencePerVoter
        constraints {
          ...CountConstraintsFields
        }
        byCategory {
          key
          label
          pence
          moneyShare
          voteShare
        }
        byArea {
          key
          label
          pence
          moneyShare
          voteShare
        }
      }
    }
  }
}
    fragment CountConstraintsFields on CountConstraints {
  categoryMax {
    key
    pence
    share
  }
  categoryMin {
    key
    pence
    share
  }
  areaMax {
    key
    pence
    share
  }
  areaMin {
    key
    pence
    share
  }
  minVotes
  minShare
  exclusive
  mustFund
}`) as unknown as TypedDocumentString<SimulateCountQuery, SimulateCountQueryVariables>;
export const VerifyRoundDocument = new TypedDocumentString(`
    query VerifyRound($id: ID!) {
  round(id: $id) {
    id
    title
    titleCy
    phase
    schedule {
      votingClosesAt
    }
    eligibility {
      relations
      minAge
      methods
      postcodeAloneEnough
    }
    registerAvailable
    pots {
      area {
        id
        name
        nameCy
      }
    }
  }
  myVerifications {
    id
    roundId
    verified
    held
    methods
    relation
    inPersonReference
    area {
      id
      name
      nameCy
    }
  }
}
    `) as unknown as TypedDocumentString<VerifyRoundQuery, VerifyRoundQueryVariables>;
export const DeclareEligibilityDocument = new TypedDocumentString(`
    mutation DeclareEligibility($roundId: ID!, $person: PersonDetailsInput!) {
  declareEligibility(roundId: $roundId, person: $person) {
    id
    verified
    held
    methods
    area {
      id
      name
      nameCy
    }
  }
}
    `) as unknown as TypedDocumentString<DeclareEligibilityMutation, DeclareEligibilityMutationVariables>;
export const RequestVerificationCodeDocument = new TypedDocumentString(`
    mutation RequestVerificationCode($roundId: ID!, $channel: CodeChannel!, $to: String!) {
  requestVerificationCode(roundId: $roundId, channel: $channel, to: $to) {
    sent
    message
  }
}
    `) as unknown as TypedDocumentString<RequestVerificationCodeMutation, RequestVerificationCodeMutationVariables>;
export const ConfirmVerificationCodeDocument = new TypedDocumentString(`
    mutation ConfirmVerificationCode($roundId: ID!, $channel: CodeChannel!, $to: String!, $code: String!) {
  confirmVerificationCode(
    roundId: $roundId
    channel: $channel
    to: $to
    code: $code
  ) {
    id
    verified
    held
    methods
  }
}
    `) as unknown as TypedDocumentString<ConfirmVerificationCodeMutation, ConfirmVerificationCodeMutationVariables>;
export const MatchRegisterDocument = new TypedDocumentString(`
    mutation MatchRegister($roundId: ID!) {
  matchRegister(roundId: $roundId) {
    id
    verified
    held
    methods
  }
}
    `) as unknown as TypedDocumentString<MatchRegisterMutation, MatchRegisterMutationVariables>;
export const VotePageDocument = new TypedDocumentString(`
    query VotePage($roundId: ID!, $language: Language! = EN) {
  round(id: $roundId) {
    id
    title
    titleCy
    phase
    constraintsInWords(language: $language)
    schedule {
      votingClosesAt
    }
    ballot {
      kind
      minChoices
      maxChoices
      scoreMin
      scoreMax
      pointsTotal
      pointsMaxPerBid
    }
    pots {
      amountPence
      area {
        id
        name
        nameCy
      }
    }
  }
  myVerifications {
    roundId
    verified
    held
    area {
      id
      name
      nameCy
    }
  }
  myVote(roundId: $roundId) {
    voted
    lastVotedAt
    channel
    canVote
  }
  myBallot(roundId: $roundId) {
    lines {
      position
      value
      bid {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VotePageQuery, VotePageQueryVariables>;
export const BallotBidsDocument = new TypedDocumentString(`
    query BallotBids($roundId: ID!, $areaId: ID!, $after: String) {
  round(id: $roundId) {
    bids(areaId: $areaId, first: 25, after: $after) {
      nodes {
        id
        title
        titleCy
        summary
        summaryCy
        costPence
        group {
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BallotBidsQuery, BallotBidsQueryVariables>;
export const CastBallotDocument = new TypedDocumentString(`
    mutation CastBallot($input: CastBallotInput!) {
  castBallot(input: $input) {
    receipt {
      code
      key
    }
    castAt
    replaced
    retried
  }
}
    `) as unknown as TypedDocumentString<CastBallotMutation, CastBallotMutationVariables>;
export const TurnoutDocument = new TypedDocumentString(`
    query Turnout($roundId: ID!) {
  turnout(roundId: $roundId) {
    voted
    verified
    byArea {
      area {
        id
        name
        nameCy
      }
      voted
      verified
    }
    byChannel {
      channel
      voted
    }
    byAssurance {
      assurance
      voted
    }
    duplicates {
      kept
      dropped
      people
    }
  }
}
    `) as unknown as TypedDocumentString<TurnoutQuery, TurnoutQueryVariables>;
export const CastAssistedBallotDocument = new TypedDocumentString(`
    mutation CastAssistedBallot($input: CastAssistedBallotInput!) {
  castAssistedBallot(input: $input) {
    receipt {
      code
      key
    }
    castAt
    replaced
    retried
  }
}
    `) as unknown as TypedDocumentString<CastAssistedBallotMutation, CastAssistedBallotMutationVariables>;
export const MyVoteDocument = new TypedDocumentString(`
    query MyVote($roundId: ID!) {
  myVote(roundId: $roundId) {
    voted
    lastVotedAt
    canVote
  }
}
    `) as unknown as TypedDocumentString<MyVoteQuery, MyVoteQueryVariables>;