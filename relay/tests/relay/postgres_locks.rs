//! Relay instances sharing one PostgreSQL database must not lock each other out.

use relay::store::postgres_store::PostgresStore;

/// A relay instance that starts while another one holds a share row (a PIN check runs
/// Argon2id inside that transaction) must neither wait for it nor deadlock with it: once the
/// schema is current, starting takes no table lock at all.
#[test]
fn a_relay_starting_takes_no_table_lock_once_the_schema_is_current() {
    let Some(url) = crate::util::postgres_url() else {
        return;
    };
    drop(PostgresStore::connect(&url).unwrap());
    let mut busy = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut held = busy.transaction().unwrap();
    // What an open share check holds while it verifies a PIN and updates the row.
    held.batch_execute("LOCK TABLE zv_shares, zv_accounts IN ROW EXCLUSIVE MODE")
        .unwrap();
    // Any table lock the start asked for would wait for `held`; fail fast instead of waiting.
    let starting = format!("{url} options='-c lock_timeout=2000'");
    let started = PostgresStore::connect(&starting);
    held.rollback().unwrap();
    assert!(started.is_ok(), "{:?}", started.err());
}
