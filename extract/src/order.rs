//! Stable sorting through one shared sort of positions.
//!
//! Every `sort_by` on another element type or comparison makes the compiler emit the standard
//! library's whole sort again, some 4 kB of WebAssembly each, and the browser app sorts a dozen
//! kinds of things (dossiers, contacts, figures, templates, amounts), never many of them. These
//! functions sort positions (`usize`) with the comparison behind a reference, so the app carries
//! the sort once; each call then moves the items into the order found. The result is exactly
//! that of the standard library's stable sort.

use std::cmp::Ordering;

/// The one sort: positions, ordered by `compare` (stable).
fn sort_positions(count: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..count).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Moves the items of `items` into the order of `positions` (a permutation of its indices).
fn arrange<T>(items: &mut Vec<T>, positions: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        positions
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Sorts `items` stably by `compare`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let positions = sort_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    arrange(items, &positions);
}

/// Sorts `items` stably by `key`, like `slice::sort_by_key` (the key is computed per
/// comparison: keep it cheap, or use [`sort_by_cached_key`]).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably by `key`, computed once per item, like `slice::sort_by_cached_key`.
pub fn sort_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let positions = sort_positions(items.len(), &|a, b| keys[a].cmp(&keys[b]));
    arrange(items, &positions);
}

/// Sorts `items` in their natural order, like `slice::sort`.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}
