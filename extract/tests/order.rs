//! The shared sort gives exactly what the standard library's stable sorts give.
#![allow(clippy::unwrap_used)]

use extract::order;

/// A deterministic mixed sequence with many equal keys (so that stability shows).
fn sample(n: usize) -> Vec<(u32, usize)> {
    let mut x: u32 = 12_345;
    (0..n)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((x >> 16) % 7, i)
        })
        .collect()
}

#[test]
fn every_sort_matches_the_standard_library() {
    for n in [0, 1, 2, 3, 17, 200, 1_000] {
        let items = sample(n);

        let (mut ours, mut std) = (items.clone(), items.clone());
        let descending_odd_first =
            |a: &(u32, usize), b: &(u32, usize)| (b.0 % 2).cmp(&(a.0 % 2)).then(b.0.cmp(&a.0));
        order::sort_by(&mut ours, descending_odd_first);
        std.sort_by(descending_odd_first);
        assert_eq!(ours, std, "sort_by, {n} items");

        let (mut ours, mut std) = (items.clone(), items.clone());
        order::sort_by_key(&mut ours, |a| a.0);
        std.sort_by_key(|a| a.0);
        assert_eq!(ours, std, "sort_by_key, {n} items");

        let (mut ours, mut std) = (items.clone(), items.clone());
        order::sort_by_cached_key(&mut ours, |a| a.0.to_string());
        std.sort_by_cached_key(|a| a.0.to_string());
        assert_eq!(ours, std, "sort_by_cached_key, {n} items");

        let (mut ours, mut std) = (items.clone(), items);
        order::sort(&mut ours);
        std.sort();
        assert_eq!(ours, std, "sort, {n} items");
    }
}

#[test]
fn items_that_own_memory_are_moved_not_lost() {
    let mut names: Vec<String> = ["Wouters", "Claes", "Peeters", "Claes"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    order::sort(&mut names);
    assert_eq!(names, ["Claes", "Claes", "Peeters", "Wouters"]);
}
