//! The same behaviour from every storage backend: redb here, PostgreSQL when the test command
//! started one (`ZV_TEST_POSTGRES`).

use domain::RecordId;
use domain::sync::{PushItem, PushOutcome, SyncedStore};
use relay::store::postgres_store::PostgresStore;
use relay::store::redb_store::RedbStore;
use relay::store::{Credential, NewShare, RelayStore, ShareLookup, StoreError, pin_hash};

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
    let now = 1_800_000_000;
    let (account, device, hash) = (random::<16>(), random::<16>(), random::<32>());
    store.create_account(account, device, hash, now).unwrap();
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
        )
        .unwrap();
    assert_eq!(revs(&r), [Some(1), Some(2)]);
    let r = store
        .push(account, &[item(a, 0, Some(b"a-stale"))], 1_000)
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
                .push(account, &[item(a, 1, Some(b"a2"))], 1_000)
                .unwrap()
        ),
        [Some(3)]
    );

    // Marking a device as seen writes at most once a minute.
    store.seen(me, now + 30).unwrap();
    assert_eq!(store.devices(account).unwrap()[0].last_seen, now);
    store.seen(me, now + 61).unwrap();
    assert_eq!(store.devices(account).unwrap()[0].last_seen, now + 61);

    let page = store.pull(me, 0, 100).unwrap();
    let got: Vec<(RecordId, u64)> = page.items.iter().map(|i| (i.key, i.rev)).collect();
    assert_eq!(got, [(b, 2), (a, 3)], "one entry per key, oldest first");
    assert_eq!((page.cursor, page.more), (3, false));
    let first = store.pull(me, 0, 1).unwrap();
    assert_eq!((first.items.len(), first.cursor, first.more), (1, 2, true));
    assert!(store.pull(me, 3, 100).unwrap().items.is_empty());

    // Tombstones free their bytes; the quota counts what is held.
    assert_eq!(store.usage(account).unwrap(), 4);
    assert_eq!(
        revs(&store.push(account, &[item(a, 3, None)], 1_000).unwrap()),
        [Some(4)]
    );
    let page = store.pull(me, 3, 100).unwrap();
    assert_eq!(page.items[0].data, None);
    assert_eq!(store.usage(account).unwrap(), 2);
    let big = vec![7u8; 999];
    assert!(matches!(
        store.push(
            account,
            &[item(RecordId::from_bytes(random()), 0, Some(&big))],
            1_000
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
        .create_account(other, random(), other_hash, now)
        .unwrap();
    let them = store.credential(&other_hash).unwrap().unwrap();
    assert!(store.pull(them, 0, 100).unwrap().items.is_empty());

    // Pairing: once, and not after expiry.
    let (pid, dev2, hash2) = (random::<32>(), random::<16>(), random::<32>());
    store
        .put_pairing(account, pid, b"offer".to_vec(), now + 600, now)
        .unwrap();
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
    store
        .put_pairing(account, late, b"x".to_vec(), now + 600, now)
        .unwrap();
    assert_eq!(
        store
            .claim_pairing(late, random(), random(), now + 600)
            .unwrap(),
        None
    );
    assert_eq!(store.devices(account).unwrap().len(), 2);
    assert!(store.revoke_device(account, dev2).unwrap());
    assert!(
        !store.revoke_device(other, device).unwrap(),
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
        pin: pin.map(|p| (salt, pin_hash(&salt, p))),
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
        2,
        "closed shares free their bytes"
    );

    // Deleting an account takes everything of it and nothing of another.
    let (other, other_device, other_hash) = (random::<16>(), random::<16>(), random::<32>());
    store
        .create_account(other, other_device, other_hash, now)
        .unwrap();
    let kept = RecordId::from_bytes(random());
    store
        .push(other, &[item(kept, 0, Some(b"blijft"))], 1_000)
        .unwrap();
    store
        .put_pairing(other, random(), b"offer".to_vec(), now + 600, now)
        .unwrap();
    store
        .put_pairing(account, random(), b"offer".to_vec(), now + 600, now)
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
