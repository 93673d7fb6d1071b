//! Public answers, kept while nothing they were made of has changed.
//!
//! The pages most people read at once (a published result, a round's bids,
//! the list of rounds) are the same for everyone who is not signed in. An
//! answer to such a query is kept, by the exact request, with the
//! database's `public_revision` as it was before the answer was worked out.
//! Triggers in the database move that number on with every change to the
//! tables these queries read (`migrations::m20261207_000011`), whoever
//! makes the change. Before a kept answer is sent again the number is read
//! once more: the same number means nothing it was made of has changed, on
//! this instance or any other; a new one means it is worked out afresh.
//!
//! Only queries of requests without a session are kept, and only when every
//! field they name is one whose value comes from those tables
//! (`ROOT_FIELDS`, `FIELDS`): a query that names anything else (turnout,
//! the round's log, a person's own data, receipts) is always answered
//! afresh. Answers with errors are never kept.
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use axum::body::Bytes;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Root fields whose answers come only from the tables `public_revision`
/// follows.
const ROOT_FIELDS: &[&str] = &[
    "__typename",
    "areas",
    "area",
    "rounds",
    "round",
    "groups",
    "group",
    "bid",
    "bidCategories",
    "roundResult",
    "resultVersions",
];

/// Fields below the root whose values come only from those tables (or
/// from the stored result, which never changes once written). Names, not
/// types: a name is listed only if it is safe on every type that has it.
const FIELDS: &[&str] = &[
    "__typename",
    // Connections.
    "nodes",
    "edges",
    "node",
    "cursor",
    "pageInfo",
    "hasNextPage",
    "hasPreviousPage",
    "startCursor",
    "endCursor",
    // Rounds and pots.
    "id",
    "title",
    "description",
    // Welsh, from the same rows.
    "titleCy",
    "summaryCy",
    "descriptionCy",
    "nameCy",
    // From the log entry written in the transaction that moved the
    // round's phase (so the revision moved with it).
    "votingClosedAt",
    "phase",
    "phaseChangedAt",
    "schedule",
    "bidsOpenAt",
    "bidsCloseAt",
    "votingOpensAt",
    "votingClosesAt",
    "ballot",
    "kind",
    "minChoices",
    "maxChoices",
    "scoreMin",
    "scoreMax",
    "pointsTotal",
    "pointsMaxPerBid",
    "duplicatePolicy",
    "countingRule",
    "name",
    "tieBreak",
    "seed",
    "minSupport",
    "borda",
    "rankPoints",
    "seats",
    "eligibility",
    "relations",
    "minAge",
    "methods",
    "postcodeAloneEnough",
    "acceptLowAssurance",
    "settingsFrozen",
    "closeCheckpoint",
    "closeCheckpointSignature",
    "pots",
    "amountPence",
    "amountDisplay",
    "area",
    "round",
    // Bids and groups.
    "bids",
    "summary",
    "costPence",
    "costDisplay",
    "category",
    "location",
    "address",
    "latitude",
    "longitude",
    "status",
    "group",
    "contactEmail",
    // Results.
    "version",
    "reason",
    "countedAt",
    "publishedAt",
    "provisional",
    "configuration",
    "configurationSha256",
    "excludedBidIds",
    "bundleUrl",
    "budgetPence",
    "spentPence",
    "leftPence",
    "funded",
    "unfunded",
    "unfundedBids",
    "bid",
    "support",
    "votes",
    "voters",
    "turnoutByChannel",
    "channel",
    "voted",
    "explanation",
    "ballotsUrl",
    "resultUrl",
    "ballotsSha256",
    "inputSha256",
    "resultSha256",
];

/// Whether the answer to `query` may be kept for people who are not signed
/// in: one query operation, naming only listed fields, at least one of
/// them data (`{ __typename }` alone reads nothing: it is answered without
/// the database, not kept).
pub fn keepable(query: &str) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let operations: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    let [op] = operations.as_slice() else {
        return false;
    };
    op.node.ty == OperationType::Query
        && names_only(&doc, &op.node.selection_set.node, ROOT_FIELDS, 0)
        && names_data(&doc, &op.node.selection_set.node, 0)
        && doc
            .fragments
            .values()
            .all(|f| names_only(&doc, &f.node.selection_set.node, FIELDS, 0))
}

/// Deeper than any page asks: a document nested further is not kept (and
/// is not walked, nor are fragments that spread each other forever).
const DEEPEST: usize = 16;

/// Every field of `set` is in `allowed`, and every field below it in
/// `FIELDS`. A fragment's fields are checked against `FIELDS` where it is
/// defined, and here too (a fragment spread at the root names root
/// fields).
fn names_only(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    allowed: &[&str],
    depth: usize,
) -> bool {
    depth < DEEPEST
        && set.items.iter().all(|item| match &item.node {
            Selection::Field(f) => {
                allowed.contains(&f.node.name.node.as_str())
                    && names_only(doc, &f.node.selection_set.node, FIELDS, depth + 1)
            }
            Selection::InlineFragment(f) => {
                names_only(doc, &f.node.selection_set.node, allowed, depth + 1)
            }
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.node.fragment_name.node)
                .is_some_and(|f| names_only(doc, &f.node.selection_set.node, allowed, depth + 1)),
        })
}

/// Some field of `set` (at its level, through fragments) is not
/// `__typename`.
fn names_data(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
    depth < DEEPEST
        && set.items.iter().any(|item| match &item.node {
            Selection::Field(f) => f.node.name.node.as_str() != "__typename",
            Selection::InlineFragment(f) => names_data(doc, &f.node.selection_set.node, depth + 1),
            Selection::FragmentSpread(s) => doc
                .fragments
                .get(&s.node.fragment_name.node)
                .is_some_and(|f| names_data(doc, &f.node.selection_set.node, depth + 1)),
        })
}

/// The database's public revision now.
async fn revision(db: &DatabaseConnection) -> Option<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT n FROM public_revision WHERE id = 1",
        ))
        .await
        .ok()??;
    row.try_get::<i64>("", "n").ok()
}

/// Reads of the public revision, shared by the requests that wait for one
/// at the same time.
///
/// A kept answer may be sent only if the revision, read after the request
/// came in, is the one it was made at. Under load, many requests want the
/// revision at once: instead of one query each, one query is under way at a
/// time, and every request that came in before it started takes its
/// answer. A request never takes the answer of a query that started before
/// it came in (that query may have missed a change made just before the
/// request): it waits for the next. So a change committed before a request
/// arrives is always seen by it, as with a query of its own, and the
/// database answers one query per batch of waiting requests rather than
/// one per request. (A single-flight crate shares a call already under way,
/// which is exactly what must not happen here; hence this small state.)
pub struct Revisions {
    /// How many reads have started. A read numbered above the count a
    /// request saw when it came in started after it.
    started: AtomicU64,
    /// Held by the request whose query is under way.
    reading: tokio::sync::Mutex<()>,
    /// The number and answer of the last read that finished.
    done: tokio::sync::watch::Sender<(u64, Option<i64>)>,
}

impl Default for Revisions {
    fn default() -> Self {
        Self {
            started: AtomicU64::new(0),
            reading: tokio::sync::Mutex::new(()),
            done: tokio::sync::watch::Sender::new((0, None)),
        }
    }
}

impl Revisions {
    /// The public revision, read after this call began.
    pub async fn read(&self, db: &DatabaseConnection) -> Option<i64> {
        let came_in = self.started.load(Ordering::SeqCst);
        let mut done = self.done.subscribe();
        loop {
            let (n, answer) = *done.borrow_and_update();
            if n > came_in {
                return answer;
            }
            // Wait for the read under way to finish, or for none to be
            // under way (its request may have gone away before finishing).
            let _reading = tokio::select! {
                biased;
                changed = done.changed() => {
                    if changed.is_err() {
                        return revision(db).await;
                    }
                    continue;
                }
                guard = self.reading.lock() => guard,
            };
            let (n, answer) = *done.borrow_and_update();
            if n > came_in {
                return answer;
            }
            let n = self.started.fetch_add(1, Ordering::SeqCst) + 1;
            let answer = revision(db).await;
            self.done.send_replace((n, answer));
            return answer;
        }
    }

    /// How many queries have been made.
    #[cfg(test)]
    fn queries(&self) -> u64 {
        self.started.load(Ordering::SeqCst)
    }
}

/// Most bytes of answers kept at once, and the largest answer kept.
const HELD_BYTES: usize = 64 << 20;
const LARGEST: usize = 8 << 20;
/// What an answer costs beside its bytes (its key, revision and place in
/// the list), counted so that many small answers (one per search typed,
/// say) stay within the bound too.
const ENTRY: usize = 128;

struct Kept {
    revision: i64,
    body: Bytes,
}

struct Held {
    answers: lru::LruCache<[u8; 32], Kept>,
    bytes: usize,
}

/// The answers kept on this instance, least recently used first out.
pub struct PublicReads {
    held: Mutex<Held>,
    /// The revision, read for the requests that want it.
    pub revisions: Revisions,
}

impl Default for PublicReads {
    fn default() -> Self {
        Self {
            held: Mutex::new(Held {
                answers: lru::LruCache::unbounded(),
                bytes: 0,
            }),
            revisions: Revisions::default(),
        }
    }
}

/// What names a request: the hash of its exact body.
pub fn key(body: &[u8]) -> [u8; 32] {
    Sha256::digest(body).into()
}

impl PublicReads {
    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether an answer is kept for this request (of any revision).
    pub fn has(&self, key: &[u8; 32]) -> bool {
        self.lock().answers.contains(key)
    }

    /// The answer kept for this request, if it was made at `revision`.
    pub fn get(&self, key: &[u8; 32], revision: i64) -> Option<Bytes> {
        let mut held = self.lock();
        held.answers
            .get(key)
            .filter(|k| k.revision == revision)
            .map(|k| k.body.clone())
    }

    /// Keeps an answer made at `revision`.
    pub fn put(&self, key: [u8; 32], revision: i64, body: Bytes) {
        if body.len() > LARGEST {
            return;
        }
        let mut held = self.lock();
        held.bytes += ENTRY + body.len();
        if let Some((_, old)) = held.answers.push(key, Kept { revision, body }) {
            held.bytes -= ENTRY + old.body.len();
        }
        while held.bytes > HELD_BYTES {
            match held.answers.pop_lru() {
                Some((_, old)) => held.bytes -= ENTRY + old.body.len(),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_fields_of_one_query_are_kept() {
        assert!(keepable("{ __typename rounds { id } }"));
        // Nothing read: nothing to keep, and no revision to read for it.
        assert!(!keepable("{ __typename }"));
        assert!(!keepable("{ ... on Query { __typename } }"));
        assert!(keepable(
            "query R($r: ID!) { round(id: $r) { id title pots { area { name } } } \
             roundResult(roundId: $r) { ...F } } \
             fragment F on RoundResult { version pots { funded { bid { id title } votes } } }"
        ));
        // Something not made of the public tables, at the root or below.
        assert!(!keepable("{ me { id } }"));
        assert!(!keepable(
            "query($r: ID!) { turnout(roundId: $r) { voted } }"
        ));
        assert!(!keepable(
            "query($b: ID!) { bid(id: $b) { id reviewHistory { reason } } }"
        ));
        assert!(!keepable(
            "query($r: ID!) { round(id: $r) { id observing } }"
        ));
        // Through a fragment spread at the root.
        assert!(!keepable(
            "query { ...Q } fragment Q on Query { me { id } }"
        ));
        // Not a query, more than one operation, or not GraphQL.
        assert!(!keepable("mutation { signOut }"));
        assert!(!keepable("query A { __typename } query B { __typename }"));
        assert!(!keepable("{ round(id: "));
        // Nested past any page, or fragments spreading each other.
        let deep = format!(
            "{{ {}__typename{} }}",
            "round(id: 1) { ".repeat(40),
            " }".repeat(40)
        );
        assert!(!keepable(&deep));
        assert!(!keepable(
            "query { round(id: 1) { ...A } } fragment A on Round { ...B } fragment B on Round { ...A }"
        ));
    }

    async fn database(n: i64) -> DatabaseConnection {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared(
            "CREATE TABLE public_revision (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
        )
        .await
        .unwrap();
        db.execute_unprepared(&format!("INSERT INTO public_revision VALUES (1, {n})"))
            .await
            .unwrap();
        db
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_waiting_at_once_share_one_read_and_never_miss_a_change() {
        let db = database(1).await;
        let revisions = std::sync::Arc::new(Revisions::default());
        // 64 requests at once: all see 1, with fewer queries than requests.
        let reads = futures_util::future::join_all((0..64).map(|_| {
            let (r, db) = (revisions.clone(), db.clone());
            tokio::spawn(async move { r.read(&db).await })
        }))
        .await;
        assert!(reads.iter().all(|r| *r.as_ref().unwrap() == Some(1)));
        let queries = revisions.queries();
        assert!(queries < 64, "{queries} queries for 64 requests");

        // A change committed before a request begins is always seen, while
        // other requests keep reads under way the whole time.
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let busy: Vec<_> = (0..8)
            .map(|_| {
                let (r, db, stop) = (revisions.clone(), db.clone(), stop.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        r.read(&db).await;
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for n in 2..200 {
            db.execute_unprepared(&format!("UPDATE public_revision SET n = {n} WHERE id = 1"))
                .await
                .unwrap();
            assert_eq!(
                revisions.read(&db).await,
                Some(n),
                "after the change to {n}"
            );
        }
        stop.store(true, Ordering::Relaxed);
        for b in busy {
            b.await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_read_given_up_part_way_leaves_none_waiting() {
        let db = database(5).await;
        let revisions = Revisions::default();
        // A request that goes away while it holds the read.
        let guard = revisions.reading.lock().await;
        let waiting = revisions.read(&db);
        tokio::pin!(waiting);
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(50), &mut waiting)
                .await
                .is_err(),
            "it waits while a read is under way"
        );
        drop(guard);
        assert_eq!(waiting.await, Some(5));
    }

    /// The pages most people read, as the web client asks for them, are
    /// kept: a field added to one of their queries must be one whose value
    /// the public revision follows, or be left out of these pages.
    #[test]
    fn the_web_clients_busiest_public_pages_are_kept() {
        let text = [
            include_str!("../../../web/src/graphql/operations/public.graphql"),
            include_str!("../../../web/src/graphql/operations/results.graphql"),
            include_str!("../../../web/src/graphql/operations/groups.graphql"),
            include_str!("../../../web/src/graphql/operations/account.graphql"),
            include_str!("../../../web/src/graphql/operations/officer.graphql"),
        ]
        .join("\n");
        let doc = async_graphql::parser::parse_query(&text).expect("the web client's operations");
        let DocumentOperations::Multiple(ops) = &doc.operations else {
            panic!("several operations")
        };
        for name in [
            "StartPage",
            "RoundBids",
            "RoundResultPage",
            "AreaRounds",
            "BidCategories",
        ] {
            let op = ops
                .get(name)
                .unwrap_or_else(|| panic!("the web client has no {name}"));
            assert!(
                op.node.ty == OperationType::Query
                    && names_only(&doc, &op.node.selection_set.node, ROOT_FIELDS, 0)
                    && names_data(&doc, &op.node.selection_set.node, 0),
                "{name} names a field whose answer is not kept"
            );
        }
    }

    #[test]
    fn answers_are_kept_by_revision_within_the_bound() {
        let reads = PublicReads::default();
        let k = key(b"one");
        reads.put(k, 7, Bytes::from_static(b"answer"));
        assert_eq!(reads.get(&k, 7).as_deref(), Some(&b"answer"[..]));
        assert_eq!(reads.get(&k, 8), None);
        let big = Bytes::from(vec![0u8; LARGEST]);
        for i in 0..(HELD_BYTES / LARGEST + 2) {
            reads.put(key(&i.to_be_bytes()), 1, big.clone());
        }
        assert!(reads.lock().bytes <= HELD_BYTES);
        assert_eq!(reads.get(&k, 7), None, "the oldest answer went first");
        // Many tiny answers are bounded by what each costs beside its bytes.
        for i in 0..(HELD_BYTES / ENTRY + 10) {
            reads.put(key(&(i as u64).to_be_bytes()), 1, Bytes::new());
        }
        let held = reads.lock();
        assert!(held.bytes <= HELD_BYTES);
        assert!(held.answers.len() <= HELD_BYTES / ENTRY);
    }
}
