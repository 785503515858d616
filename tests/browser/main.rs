//! Browser tests: real headless browsers open built sites over `file://`
//! and check what a person would see — Chromium for every test, WebKit
//! and Firefox for the cross-engine checks in `smoke.rs`.
//!
//! This binary has its own small runner (`harness = false` in Cargo.toml)
//! so that the tests share one browser per engine and so that a skip is
//! printed, not hidden: a test whose engine is missing says so and is
//! skipped, unless `ZHIKU_REQUIRE_BROWSER=1` (set by `.ci/run`) turns the
//! skip into a failure. Each engine starts at its first test, so the
//! others run without it. `cargo test --test browser -- NAME` runs the
//! tests whose name contains NAME.

// A test binary has no public API; `pub` here means "shared by modules".
#![allow(unreachable_pub)]

mod cdp;
mod checklist;
mod customise;
mod engines;
mod language;
mod offline;
mod questions;
mod quiz;
mod search;
mod serve;
mod shots;
mod single;
mod sites;
mod smoke;
mod study;
mod theme;
mod webdriver;

use std::panic::AssertUnwindSafe;

/// What every test gets: the browser and the built sites.
pub struct Ctx {
    /// Chromium, started at the first test that asks for a page.
    pub browser: cdp::Chromium,
    pub sites: sites::Sites,
    /// WebKit and Firefox, started at first use, and the sites they open.
    pub engines: engines::State,
}

type Test = (&'static str, fn(&mut Ctx) -> cdp::Result<()>);

const TESTS: &[Test] = &[
    (
        "theme::pages_load_from_disk_without_errors",
        theme::pages_load_from_disk_without_errors,
    ),
    (
        "theme::every_link_leads_to_a_page_that_loads",
        theme::every_link_leads_to_a_page_that_loads,
    ),
    (
        "theme::nothing_overflows_at_360px",
        theme::nothing_overflows_at_360px,
    ),
    (
        "theme::the_drawer_opens_and_closes_by_keyboard",
        theme::the_drawer_opens_and_closes_by_keyboard,
    ),
    (
        "theme::dark_mode_choice_persists_across_pages",
        theme::dark_mode_choice_persists_across_pages,
    ),
    (
        "theme::axe_finds_no_serious_violations",
        theme::axe_finds_no_serious_violations,
    ),
    (
        "theme::print_hides_navigation",
        theme::print_hides_navigation,
    ),
    ("theme::css_and_js_stay_small", theme::css_and_js_stay_small),
    ("theme::screenshots", theme::screenshots),
    (
        "checklist::ticks_survive_reload_and_an_inserted_item",
        checklist::ticks_survive_reload_and_an_inserted_item,
    ),
    (
        "checklist::works_when_storage_is_full_or_blocked",
        checklist::works_when_storage_is_full_or_blocked,
    ),
    (
        "quiz::marks_every_kind_and_scores",
        quiz::marks_every_kind_and_scores,
    ),
    (
        "quiz::results_survive_a_reload_and_a_changed_question_starts_fresh",
        quiz::results_survive_a_reload_and_a_changed_question_starts_fresh,
    ),
    (
        "quiz::retry_clears_the_answers",
        quiz::retry_clears_the_answers,
    ),
    (
        "quiz::works_when_storage_is_full_or_blocked",
        quiz::works_when_storage_is_full_or_blocked,
    ),
    (
        "quiz::prints_a_blank_copy_and_the_answer_key",
        quiz::prints_a_blank_copy_and_the_answer_key,
    ),
    (
        "quiz::fits_a_phone_in_both_schemes_and_passes_axe",
        quiz::fits_a_phone_in_both_schemes_and_passes_axe,
    ),
    (
        "quiz::quiz_blocks_on_one_page_are_scored_and_kept_apart",
        quiz::quiz_blocks_on_one_page_are_scored_and_kept_apart,
    ),
    (
        "quiz::the_sample_quizzes_score_full_marks_for_right_answers",
        quiz::the_sample_quizzes_score_full_marks_for_right_answers,
    ),
    (
        "quiz::the_single_file_edition_answers_and_keeps_results",
        quiz::the_single_file_edition_answers_and_keeps_results,
    ),
    (
        "quiz::the_sections_print_page_prints_its_quizzes_blank",
        quiz::the_sections_print_page_prints_its_quizzes_blank,
    ),
    (
        "quiz::a_keyboard_answers_submits_and_starts_over",
        quiz::a_keyboard_answers_submits_and_starts_over,
    ),
    (
        "quiz::an_english_quiz_speaks_english",
        quiz::an_english_quiz_speaks_english,
    ),
    ("quiz::screenshots", quiz::screenshots),
    (
        "search::quiz_questions_are_found_but_not_their_answers",
        search::quiz_questions_are_found_but_not_their_answers,
    ),
    (
        "single::the_single_file_keeps_study_progress",
        single::the_single_file_keeps_study_progress,
    ),
    (
        "study::a_studied_page_counts_on_the_section_home_and_record",
        study::a_studied_page_counts_on_the_section_home_and_record,
    ),
    (
        "study::reading_to_the_end_marks_a_page",
        study::reading_to_the_end_marks_a_page,
    ),
    (
        "study::the_record_and_the_wrong_answers_read_the_quizzes",
        study::the_record_and_the_wrong_answers_read_the_quizzes,
    ),
    (
        "study::a_wrong_answer_reaches_the_record_and_leads_back",
        study::a_wrong_answer_reaches_the_record_and_leads_back,
    ),
    (
        "study::the_record_prints_without_its_buttons",
        study::the_record_prints_without_its_buttons,
    ),
    (
        "study::without_storage_pages_say_progress_is_not_kept",
        study::without_storage_pages_say_progress_is_not_kept,
    ),
    (
        "search::normaliser_agrees_with_the_shared_vectors",
        search::normaliser_agrees_with_the_shared_vectors,
    ),
    (
        "search::typing_finds_the_article",
        search::typing_finds_the_article,
    ),
    (
        "search::an_input_method_commit_searches_at_once",
        search::an_input_method_commit_searches_at_once,
    ),
    (
        "search::traditional_and_simplified_find_each_other",
        search::traditional_and_simplified_find_each_other,
    ),
    (
        "search::keyboard_opens_moves_and_closes",
        search::keyboard_opens_moves_and_closes,
    ),
    (
        "search::hostile_titles_and_snippets_stay_text",
        search::hostile_titles_and_snippets_stay_text,
    ),
    (
        "search::a_missing_index_says_so",
        search::a_missing_index_says_so,
    ),
    (
        "search::search_page_counts_and_filters",
        search::search_page_counts_and_filters,
    ),
    ("search::works_over_http", search::works_over_http),
    (
        "search::a_site_without_search_has_no_box",
        search::a_site_without_search_has_no_box,
    ),
    (
        "search::results_are_accessible_and_fit_a_phone",
        search::results_are_accessible_and_fit_a_phone,
    ),
    ("search::screenshots", search::screenshots),
    (
        "search::heavy_characters_are_split_and_still_found",
        search::heavy_characters_are_split_and_still_found,
    ),
    (
        "search::works_without_decompression_streams",
        search::works_without_decompression_streams,
    ),
    (
        "search::search_page_counts_every_match_on_a_large_site",
        search::search_page_counts_every_match_on_a_large_site,
    ),
    (
        "questions::several_terms_meet_anywhere_in_a_page",
        questions::several_terms_meet_anywhere_in_a_page,
    ),
    (
        "questions::a_question_finds_its_article",
        questions::a_question_finds_its_article,
    ),
    (
        "questions::other_wording_gives_labelled_partial_matches",
        questions::other_wording_gives_labelled_partial_matches,
    ),
    (
        "questions::citations_find_the_article",
        questions::citations_find_the_article,
    ),
    (
        "questions::abbreviations_find_full_names",
        questions::abbreviations_find_full_names,
    ),
    (
        "questions::everything_a_reader_sees_is_searchable",
        questions::everything_a_reader_sees_is_searchable,
    ),
    (
        "offline::a_saved_site_reads_offline_and_updates",
        offline::a_saved_site_reads_offline_and_updates,
    ),
    (
        "offline::chromium_finds_the_site_installable",
        offline::chromium_finds_the_site_installable,
    ),
    (
        "offline::visited_pages_read_offline_without_saving",
        offline::visited_pages_read_offline_without_saving,
    ),
    (
        "offline::the_control_is_accessible_and_fits_a_phone",
        offline::the_control_is_accessible_and_fits_a_phone,
    ),
    (
        "offline::from_disk_there_is_no_offline_control",
        offline::from_disk_there_is_no_offline_control,
    ),
    (
        "serve::a_broken_save_shows_an_overlay_until_fixed",
        serve::a_broken_save_shows_an_overlay_until_fixed,
    ),
    (
        "serve::a_stylesheet_change_applies_without_a_reload",
        serve::a_stylesheet_change_applies_without_a_reload,
    ),
    (
        "serve::a_reload_keeps_the_scroll_position",
        serve::a_reload_keeps_the_scroll_position,
    ),
    (
        "single::the_single_file_works_offline_on_a_phone",
        single::the_single_file_works_offline_on_a_phone,
    ),
    (
        "single::a_sections_file_shows_an_outside_article_where_it_is_tapped",
        single::a_sections_file_shows_an_outside_article_where_it_is_tapped,
    ),
    (
        "serve::no_service_worker_under_the_dev_server",
        serve::no_service_worker_under_the_dev_server,
    ),
    (
        "customise::logo_footer_and_menu_work_from_disk",
        customise::logo_footer_and_menu_work_from_disk,
    ),
    (
        "customise::an_old_address_opens_the_renamed_page",
        customise::an_old_address_opens_the_renamed_page,
    ),
    (
        "language::an_english_site_speaks_english_from_disk",
        language::an_english_site_speaks_english_from_disk,
    ),
    (
        "language::the_english_single_file_speaks_english",
        language::the_english_single_file_speaks_english,
    ),
];

/// The engine smoke checks (`smoke.rs`), each run in every engine as
/// `engines::ENGINE::CHECK`.
const CHECKS: &[(&str, engines::Check)] = &[
    (
        "the_error_recorder_sees_a_thrown_error",
        smoke::the_error_recorder_sees_a_thrown_error,
    ),
    (
        "pages_load_at_360_and_1280",
        smoke::pages_load_at_360_and_1280,
    ),
    (
        "search_finds_simplified_and_traditional",
        smoke::search_finds_simplified_and_traditional,
    ),
    (
        "a_tick_survives_a_reload_and_stays_in_its_site",
        smoke::a_tick_survives_a_reload_and_stays_in_its_site,
    ),
    (
        "a_quiz_scores_and_survives_a_reload",
        quiz::engines_a_quiz_scores_and_survives_a_reload,
    ),
    (
        "a_studied_page_shows_everywhere",
        study::engines_a_studied_page_shows_everywhere,
    ),
    ("the_unzipped_pack_works", smoke::the_unzipped_pack_works),
    ("the_single_file_works", smoke::the_single_file_works),
    ("the_print_page_lays_out", smoke::the_print_page_lays_out),
    (
        "fallbacks_work_where_an_api_is_missing",
        smoke::fallbacks_work_where_an_api_is_missing,
    ),
    // Last: in WebKit and Firefox it restarts the browser.
    (
        "dark_mode_follows_the_system_and_the_toggle",
        smoke::dark_mode_follows_the_system_and_the_toggle,
    ),
];

type Run = Box<dyn Fn(&mut Ctx) -> cdp::Result<()>>;

/// Every test by name: `TESTS`, then each check of `CHECKS` in each engine.
fn all_tests() -> Vec<(String, Run)> {
    let mut all: Vec<(String, Run)> = TESTS
        .iter()
        .map(|&(name, test)| (name.to_string(), Box::new(test) as Run))
        .collect();
    for engine in engines::ENGINES {
        for &(name, check) in CHECKS {
            all.push((
                format!("engines::{engine}::{name}"),
                Box::new(move |ctx: &mut Ctx| engines::run(ctx, engine, check)),
            ));
        }
    }
    all
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let selected: Vec<(String, Run)> = all_tests()
        .into_iter()
        .filter(|(name, _)| filter.as_ref().is_none_or(|f| name.contains(f.as_str())))
        .collect();
    let required = std::env::var("ZHIKU_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    println!("\nrunning {} browser tests", selected.len());
    let mut ctx = Ctx {
        browser: cdp::Chromium::default(),
        sites: sites::Sites::build(),
        engines: engines::State::default(),
    };
    let (failures, skipped) = run_all(&mut ctx, &selected, required);
    for (name, e) in &failures {
        println!("\n---- {name} ----\n{e}");
    }
    println!(
        "\n{} passed, {} failed, {skipped} skipped",
        selected.len() - failures.len() - skipped,
        failures.len()
    );
    if !failures.is_empty() {
        // `exit` runs no destructors: stop the browsers and drivers first.
        drop(ctx);
        std::process::exit(1);
    }
}

/// Runs the tests in order; returns the failures and the number skipped
/// (an engine test whose engine is missing, unless `required`).
fn run_all(
    ctx: &mut Ctx,
    selected: &[(String, Run)],
    required: bool,
) -> (Vec<(String, String)>, usize) {
    let mut failures = Vec::new();
    let mut skipped = 0;
    for (name, test) in selected {
        let started = std::time::Instant::now();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| test(ctx)));
        let outcome = match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(panic) => Err(panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".into())),
        };
        let secs = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => println!("test {name} ... ok ({secs:.1} s)"),
            Err(e) if !required && e.starts_with(engines::SKIP) => {
                println!("test {name} ... {e}; set ZHIKU_REQUIRE_BROWSER=1 to make this a failure");
                skipped += 1;
            }
            Err(e) if e.starts_with(engines::SKIP) => {
                println!("test {name} ... FAILED: engine missing");
                failures.push((
                    name.clone(),
                    format!(
                        "{}; ZHIKU_REQUIRE_BROWSER=1 makes that a failure",
                        e.trim_start_matches(engines::SKIP)
                    ),
                ));
            }
            Err(e) => {
                println!("test {name} ... FAILED ({secs:.1} s)");
                failures.push((name.clone(), e));
            }
        }
    }
    (failures, skipped)
}
