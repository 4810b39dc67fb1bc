//! The same behaviour from every storage backend: redb here, PostgreSQL when the test command
//! started one (`ZV_TEST_POSTGRES`).

use domain::RecordId;
use domain::sync::{PushItem, PushOutcome, SyncedStore};
use relay::store::postgres_store::PostgresStore;
use relay::store::redb_store::RedbStore;
use relay::store::{
    Credential, NewShare, PinHash, RelayStore, ShareLookup, StoreError, Swept, TOMBSTONE_BYTES,
    Unlink,
};

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).unwrap();
    b
}

fn item(key: RecordId, base: u64, data: Option<&[u8]>) -> PushItem {
    PushItem {
        store: SyncedStore::Records,
        key,
        base,
        data: data.map(<[u8]>::to_vec),
    }
}

fn revs(outcomes: &[domain::sync::PushResult]) -> Vec<Option<u64>> {
    outcomes
        .iter()
        .map(|r| match r.outcome {
            PushOutcome::Accepted { rev } => Some(rev),
            PushOutcome::Conflict { .. } => None,
        })
        .collect()
}

fn exercise(store: &dyn RelayStore) {
    // Far from the real time: relays on the same database sweep what expired by their clock.
    let now = 4_000_000_000;
    let (account, device, hash) = (random::<16>(), random::<16>(), random::<32>());
    assert!(
        store
            .create_account(account, device, hash, now, u64::MAX)
            .unwrap()
    );
    let me = store.credential(&hash).unwrap().unwrap();
    assert_eq!(me, Credential { account, device });
    assert_eq!(store.credential(&random()).unwrap(), None);

    // Optimistic concurrency and one sequence per account.
    let (a, b) = (
        RecordId::from_bytes(random()),
        RecordId::from_bytes(random()),
    );
    let r = store
        .push(
            account,
            &[item(a, 0, Some(b"a1")), item(b, 0, Some(b"b1"))],
            1_000,
            now,
        )
        .unwrap();
    assert_eq!(revs(&r), [Some(1), Some(2)]);
    let r = store
        .push(account, &[item(a, 0, Some(b"a-stale"))], 1_000, now)
        .unwrap();
    let PushOutcome::Conflict { current } = &r[0].outcome else {
        panic!("a stale base must conflict");
    };
    assert_eq!(
        (current.rev, current.data.as_deref()),
        (1, Some(&b"a1"[..]))
    );
    assert_eq!(
        revs(
            &store
                .push(account, &[item(a, 1, Some(b"a2"))], 1_000, now)
                .unwrap()
        ),
        [Some(3)]
    );

    // Marking a device as seen writes at most once a minute.
    store.seen(me, 0, now + 30).unwrap();
    assert_eq!(store.devices(account).unwrap()[0].last_seen, now);
    store.seen(me, 0, now + 61).unwrap();
    assert_eq!(store.devices(account).unwrap()[0].last_seen, now + 61);

    let page = store.pull(me, 0, 100).unwrap();
    let got: Vec<(RecordId, u64)> = page.items.iter().map(|i| (i.key, i.rev)).collect();
    assert_eq!(got, [(b, 2), (a, 3)], "one entry per key, oldest first");
    assert_eq!((page.cursor, page.more), (3, false));
    let first = store.pull(me, 0, 1).unwrap();
    assert_eq!((first.items.len(), first.cursor, first.more), (1, 2, true));
    assert!(store.pull(me, 3, 100).unwrap().items.is_empty());

    // Tombstones free their ciphertext's bytes and count their own; the quota counts what is
    // held.
    assert_eq!(store.usage(account).unwrap(), 4);
    assert_eq!(
        revs(
            &store
                .push(account, &[item(a, 3, None)], 1_000, now)
                .unwrap()
        ),
        [Some(4)]
    );
    let page = store.pull(me, 3, 100).unwrap();
    assert_eq!(page.items[0].data, None);
    assert_eq!(store.usage(account).unwrap(), 2 + TOMBSTONE_BYTES);
    let big = vec![7u8; 999];
    assert!(matches!(
        store.push(
            account,
            &[item(RecordId::from_bytes(random()), 0, Some(&big))],
            1_000,
            now
        ),
        Err(StoreError::Quota)
    ));
    assert!(
        store.pull(me, 4, 100).unwrap().items.is_empty(),
        "nothing of it stored"
    );

    // Accounts are isolated.
    let (other, other_hash) = (random::<16>(), random::<32>());
    store
        .create_account(other, random(), other_hash, now, u64::MAX)
        .unwrap();
    let them = store.credential(&other_hash).unwrap().unwrap();
    assert!(store.pull(them, 0, 100).unwrap().items.is_empty());

    // Pairing: once, and not after expiry.
    let (pid, dev2, hash2) = (random::<32>(), random::<16>(), random::<32>());
    assert!(
        store
            .put_pairing(me, pid, b"offer".to_vec(), now + 600, now, 1_000)
            .unwrap()
    );
    assert_eq!(
        store.claim_pairing(pid, dev2, hash2, now + 1).unwrap(),
        Some((account, b"offer".to_vec()))
    );
    assert_eq!(
        store
            .claim_pairing(pid, random(), random(), now + 2)
            .unwrap(),
        None
    );
    let late = random::<32>();
    assert!(
        store
            .put_pairing(me, late, b"x".to_vec(), now + 600, now, 1_000)
            .unwrap()
    );
    assert_eq!(
        store
            .claim_pairing(late, random(), random(), now + 600)
            .unwrap(),
        None
    );
    assert_eq!(store.devices(account).unwrap().len(), 2);
    assert_eq!(
        store.revoke_device(account, dev2).unwrap(),
        Unlink::Unlinked
    );
    assert_eq!(
        store.revoke_device(other, device).unwrap(),
        Unlink::Missing,
        "only within the account"
    );
    assert_eq!(store.credential(&hash2).unwrap(), None);

    // Shares: PIN, lock, revoke, expiry.
    let salt = random::<16>();
    let share = |id, pin: Option<&str>, expires_at| NewShare {
        id,
        data: vec![1, 2, 3],
        created: now,
        expires_at,
        pin: pin.map(|p| PinHash::legacy(salt, p)),
    };
    let (s1, s2, s3) = (random::<16>(), random::<16>(), random::<16>());
    assert!(
        store
            .put_share(account, share(s1, Some("4821"), now + 100), 1_000)
            .unwrap()
    );
    assert!(
        !store
            .put_share(account, share(s1, None, now + 100), 1_000)
            .unwrap()
    );
    assert_eq!(
        store.open_share(s1, None, now).unwrap(),
        ShareLookup::PinRequired
    );
    assert!(matches!(
        store.open_share(s1, Some("4821"), now).unwrap(),
        ShareLookup::Open { .. }
    ));
    for left in (1..=4).rev() {
        assert_eq!(
            store.open_share(s1, Some("1"), now).unwrap(),
            ShareLookup::PinWrong { left }
        );
    }
    assert_eq!(
        store.open_share(s1, Some("1"), now).unwrap(),
        ShareLookup::Locked
    );
    assert_eq!(
        store.open_share(s1, Some("4821"), now).unwrap(),
        ShareLookup::Locked
    );
    assert!(
        store
            .put_share(account, share(s2, None, now + 100), 1_000)
            .unwrap()
    );
    assert!(
        !store.revoke_share(other, s2).unwrap(),
        "another account cannot revoke"
    );
    assert!(store.revoke_share(account, s2).unwrap());
    assert_eq!(
        store.open_share(s2, None, now).unwrap(),
        ShareLookup::Revoked
    );
    assert!(
        store
            .put_share(account, share(s3, None, now + 100), 1_000)
            .unwrap()
    );
    assert_eq!(
        store.open_share(s3, None, now + 100).unwrap(),
        ShareLookup::Expired
    );
    assert_eq!(
        store.open_share(random(), None, now).unwrap(),
        ShareLookup::Missing
    );
    let listed = store.shares(account).unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed.iter().filter(|s| s.revoked).count(), 1);
    assert_eq!(
        store.usage(account).unwrap(),
        2 + TOMBSTONE_BYTES,
        "closed shares free their bytes"
    );

    // Deleting an account takes everything of it and nothing of another.
    let (other, other_device, other_hash) = (random::<16>(), random::<16>(), random::<32>());
    store
        .create_account(other, other_device, other_hash, now, u64::MAX)
        .unwrap();
    let kept = RecordId::from_bytes(random());
    store
        .push(other, &[item(kept, 0, Some(b"blijft"))], 1_000, now)
        .unwrap();
    let them = store.credential(&other_hash).unwrap().unwrap();
    store
        .put_pairing(them, random(), b"offer".to_vec(), now + 600, now, 1_000)
        .unwrap();
    store
        .put_pairing(me, random(), b"offer".to_vec(), now + 600, now, 1_000)
        .unwrap();
    store.delete_account(account).unwrap();
    assert_eq!(store.credential(&hash).unwrap(), None);
    assert!(store.devices(account).unwrap().is_empty());
    assert!(store.shares(account).unwrap().is_empty());
    assert_eq!(
        store.open_share(s3, None, now).unwrap(),
        ShareLookup::Missing
    );
    let them = store.credential(&other_hash).unwrap().unwrap();
    let page = store.pull(them, 0, 100).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].data.as_deref(), Some(&b"blijft"[..]));
    assert_eq!(store.devices(other).unwrap().len(), 1);
}

/// The storage rules against abuse: every stored byte counted, nothing kept past its use.
/// Sweeps of other relays on the same database may run meanwhile, so the effects are checked,
/// not the counts.
fn abuse_rules(store: &dyn RelayStore) {
    // Far from the real time, and from `exercise`, which may run on the same database at once.
    let now = 3_900_000_000;
    assert!(
        !store
            .create_account(random(), random(), random(), now, 0)
            .unwrap(),
        "the account cap holds"
    );
    let (account, device, hash) = (random::<16>(), random::<16>(), random::<32>());
    assert!(
        store
            .create_account(account, device, hash, now, u64::MAX)
            .unwrap()
    );
    let me = store.credential(&hash).unwrap().unwrap();

    // The last device cannot unlink itself.
    assert_eq!(
        store.revoke_device(account, device).unwrap(),
        Unlink::LastDevice
    );
    assert_eq!(store.credential(&hash).unwrap(), Some(me));

    // A tombstone for an entry that does not exist stores nothing.
    let ghost = RecordId::from_bytes(random());
    let r = store
        .push(account, &[item(ghost, 0, None)], 1_000, now)
        .unwrap();
    assert_eq!(revs(&r), [None]);
    assert_eq!(store.usage(account).unwrap(), 0);
    assert!(store.pull(me, 0, 100).unwrap().items.is_empty());
    // One for an entry with data counts until it is compacted; deleting twice stores nothing.
    let a = RecordId::from_bytes(random());
    store
        .push(account, &[item(a, 0, Some(b"abc"))], 1_000, now)
        .unwrap();
    let r = store
        .push(account, &[item(a, 1, None)], 1_000, now)
        .unwrap();
    assert_eq!(revs(&r), [Some(2)]);
    assert_eq!(
        revs(
            &store
                .push(account, &[item(a, 2, None)], 1_000, now)
                .unwrap()
        ),
        [None]
    );
    assert_eq!(store.usage(account).unwrap(), TOMBSTONE_BYTES);

    // Pairing offers count, one per device, ids unique across accounts.
    let (p1, p2) = (random::<32>(), random::<32>());
    assert!(
        store
            .put_pairing(me, p1, vec![1; 100], now + 600, now, 1_000)
            .unwrap()
    );
    assert_eq!(store.usage(account).unwrap(), TOMBSTONE_BYTES + 100);
    assert!(matches!(
        store.put_pairing(me, p1, vec![1; 1_000], now + 600, now, 1_000),
        Err(StoreError::Quota)
    ));
    assert!(
        store
            .put_pairing(me, p2, vec![2; 50], now + 600, now, 1_000)
            .unwrap()
    );
    assert_eq!(
        store.usage(account).unwrap(),
        TOMBSTONE_BYTES + 50,
        "the second offer replaces the first"
    );
    assert_eq!(
        store.claim_pairing(p1, random(), random(), now).unwrap(),
        None
    );
    let (other, other_hash) = (random::<16>(), random::<32>());
    store
        .create_account(other, random(), other_hash, now, u64::MAX)
        .unwrap();
    let them = store.credential(&other_hash).unwrap().unwrap();
    assert!(
        !store
            .put_pairing(them, p2, vec![3; 50], now + 600, now, 1_000)
            .unwrap(),
        "another account cannot take a live offer's id"
    );
    assert_eq!(store.usage(other).unwrap(), 0);
    let hash2 = random::<32>();
    assert_eq!(
        store.claim_pairing(p2, random(), hash2, now + 1).unwrap(),
        Some((account, vec![2; 50]))
    );
    assert_eq!(store.usage(account).unwrap(), TOMBSTONE_BYTES);
    let me2 = store.credential(&hash2).unwrap().unwrap();

    // Expired offers go by time, at the sweep.
    let p3 = random::<32>();
    assert!(
        store
            .put_pairing(me2, p3, vec![4; 10], now + 10, now, 1_000)
            .unwrap()
    );
    store.sweep(now + 5, 0).unwrap();
    assert_eq!(store.usage(account).unwrap(), TOMBSTONE_BYTES + 10);
    assert!(store.sweep(now + 10, 0).unwrap().pairings >= 1);
    assert_eq!(store.usage(account).unwrap(), TOMBSTONE_BYTES);
    assert_eq!(
        store
            .claim_pairing(p3, random(), random(), now + 5)
            .unwrap(),
        None
    );

    // A tombstone goes once every device has pulled past it.
    store.seen(me, 2, now).unwrap();
    store.sweep(now + 20, 0).unwrap();
    assert_eq!(
        store.pull(me, 0, 100).unwrap().items.len(),
        1,
        "me2 has not pulled it"
    );
    store.seen(me2, 2, now).unwrap();
    store.sweep(now + 20, 0).unwrap();
    assert!(store.pull(me, 0, 100).unwrap().items.is_empty());
    assert_eq!(store.usage(account).unwrap(), 0);
    // … or once it is older than the retention.
    let b = RecordId::from_bytes(random());
    store
        .push(account, &[item(b, 0, Some(b"b"))], 1_000, now)
        .unwrap();
    store
        .push(account, &[item(b, 3, None)], 1_000, now + 100)
        .unwrap();
    store.sweep(now + 200, now + 99).unwrap();
    assert_eq!(store.pull(me, 2, 100).unwrap().items.len(), 1);
    assert_eq!(
        store.sweep(now + 200, now + 100).unwrap(),
        Swept {
            pairings: 0,
            tombstones: 1
        }
    );
    assert!(store.pull(me, 2, 100).unwrap().items.is_empty());
    assert_eq!(store.usage(account).unwrap(), 0);
    // The entry can be made again after its tombstone went.
    assert_eq!(
        revs(
            &store
                .push(account, &[item(b, 0, Some(b"b2"))], 1_000, now)
                .unwrap()
        ),
        [Some(5)]
    );

    // A right PIN does not reset the count of wrong ones.
    let id = random::<16>();
    let share = NewShare {
        id,
        data: vec![9; 3],
        created: now,
        expires_at: now + 100,
        pin: Some(PinHash::new("48213").unwrap()),
    };
    assert!(store.put_share(account, share, 1_000).unwrap());
    let open = |pin: &str| store.open_share(id, Some(pin), now).unwrap();
    assert_eq!(open("00000"), ShareLookup::PinWrong { left: 4 });
    assert!(matches!(open("48213"), ShareLookup::Open { .. }));
    assert_eq!(open("00000"), ShareLookup::PinWrong { left: 3 });
    assert!(matches!(open("48213"), ShareLookup::Open { .. }));
    assert_eq!(open("00000"), ShareLookup::PinWrong { left: 2 });
    assert_eq!(open("00000"), ShareLookup::PinWrong { left: 1 });
    assert_eq!(open("00000"), ShareLookup::Locked);
    assert_eq!(open("48213"), ShareLookup::Locked);
    store.delete_account(account).unwrap();
    store.delete_account(other).unwrap();
}

#[test]
fn redb_store_follows_the_abuse_rules() {
    let dir = tempfile::tempdir().unwrap();
    let store = RedbStore::open(&dir.path().join("relay.redb")).unwrap();
    abuse_rules(&store);
    let size = store.compact().unwrap().unwrap();
    assert_eq!(
        size,
        std::fs::metadata(dir.path().join("relay.redb"))
            .unwrap()
            .len()
    );
}

#[test]
fn postgres_store_follows_the_abuse_rules() {
    let Some(url) = crate::util::postgres_url() else {
        return;
    };
    let store = PostgresStore::connect(&url).unwrap();
    abuse_rules(&store);
}

#[test]
fn redb_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let store = RedbStore::open(&dir.path().join("relay.redb")).unwrap();
    exercise(&store);
}

#[test]
fn postgres_store_conforms() {
    let Some(url) = crate::util::postgres_url() else {
        return;
    };
    let store = PostgresStore::connect(&url).unwrap();
    exercise(&store);
}

#[test]
fn a_damaged_or_foreign_store_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.redb");
    std::fs::write(&path, b"this is not a database").unwrap();
    let err = RedbStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Backend(_)), "{err}");
    let unreachable = PostgresStore::connect("host=127.0.0.1 port=1 user=nobody connect_timeout=2");
    assert!(matches!(unreachable, Err(StoreError::Backend(_))));
}

#[test]
fn a_redb_store_from_before_the_sweep_indexes_its_old_tombstones() {
    type T = redb::TableDefinition<'static, &'static [u8], &'static [u8]>;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.redb");
    let (account, device, hash) = ([1u8; 16], [2u8; 16], [3u8; 32]);
    let key = [4u8; 16];
    let tag = SyncedStore::Records.tag();
    {
        // Rows as earlier versions wrote them: a 48-byte device row, a tombstone at rev 2.
        let db = redb::Database::create(&path).unwrap();
        let tx = db.begin_write().unwrap();
        let put = |name: &'static str, k: &[u8], v: &[u8]| {
            tx.open_table(T::new(name)).unwrap().insert(k, v).unwrap();
        };
        let u = |n: u64| n.to_be_bytes();
        put("accounts", &account, &[u(2), u(0), u(0)].concat());
        put("tokens", &hash, &[&account[..], &device].concat());
        put(
            "devices",
            &[account, device].concat(),
            &[&u(0)[..], &u(0), &hash].concat(),
        );
        put(
            "items",
            &[&account[..], &[tag], &key].concat(),
            &[&u(2)[..], &[0]].concat(),
        );
        put(
            "changes",
            &[&account[..], &u(2)].concat(),
            &[&[tag][..], &key].concat(),
        );
        drop(tx.open_table(T::new("pairings")).unwrap());
        tx.commit().unwrap();
    }
    let store = RedbStore::open(&path).unwrap();
    let me = store.credential(&hash).unwrap().unwrap();
    assert_eq!(store.pull(me, 0, 10).unwrap().items.len(), 1);
    store.seen(me, 2, 1_000).unwrap();
    let swept = store.sweep(1_000, 0).unwrap();
    assert_eq!(swept.tombstones, 1);
    assert!(store.pull(me, 0, 10).unwrap().items.is_empty());
    assert_eq!(store.usage(account).unwrap(), 0);
}
