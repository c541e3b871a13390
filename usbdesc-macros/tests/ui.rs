//! trybuild UI tests: every class of `#[hid_report]` mistake gives a compile error at the right
//! token, with a stable code and a help line. The `.stderr` files are reviewed.
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
