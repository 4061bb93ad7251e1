"""The words the data-quality summary says each kind of finding in, after a count
("12 episodes revised between returns: ..."): :data:`PHRASES`, read by
:mod:`sufficiency.io.quality`, beside it so that module keeps to its size."""

from __future__ import annotations

from sufficiency.io.fill_down import FILLED_DOWN
from sufficiency.io.fill_down import PHRASE as FILLED_PHRASE
from sufficiency.io.x1_gap import X1_GAP, X1_PHRASE, X1_UNFOLLOWED
from sufficiency.io.year_end_open import PHRASES as END_PHRASES

#: One phrase per kind of finding, read after a count: "12 episodes revised between ...".
PHRASES: dict[str, str] = {
    X1_GAP: X1_PHRASE,
    X1_UNFOLLOWED: "episode(s) ending X1 with no episode of the child starting that day: read "
    "as leaving care then (check for the missing episode)",
    **END_PHRASES,
    FILLED_DOWN: FILLED_PHRASE,
    "repeated_header": "header row(s) repeated among a table's rows (files joined): left out",
    "total_row": "total or note row(s) below a table's rows: left out",
    "revised_episode": "episode(s) revised between returns: the later return's version used",
    "revised_dates": "end date(s) revised between returns: the later return's date used",
    "closed_absent": "open episode(s) whose child is not in care when the next return "
    "begins: closed the day before it begins (the end of their return, or of a missing "
    "year after it)",
    "gap_bridged": "open episode(s) before a missing year, the child elsewhere after it: "
    "ended when the later placement began",
    "overlapping_episodes": "overlapping episode(s) in one return: trimmed to end when the "
    "next starts",
    "duplicate_episode": "episode(s) repeated in one return: counted once",
    "zero_length": "episode(s) starting and ending on the same day: left out",
    "decom_invalid": "episode(s) without a valid start date (DECOM): set aside",
    "dec_invalid": "episode(s) with an end date (DEC) that is not a date: set aside",
    "dec_before_decom": "episode(s) ending before they start: set aside (child out of care then)",
    "decom_after_year": "episode(s) starting after their return's collection year: set aside",
    "dec_after_year": "end date(s) after their return's collection year: read as open at its end",
    "dec_before_year": "episode(s) ended before their return's collection year: kept",
    "year_blank": "table(s) of several years with rows that have no collection year in "
    "YEAR: those rows read as the year the file's name gives, or their dates show",
    "several_years": "table(s) holding several years' episodes, not one year's return: read "
    "as their latest year's return only (give the returns year by year)",
    "child_blank": "row(s) with no child identifier: set aside",
    "extra_cells": "row(s) with more cells than the header (an unquoted comma in a value?): "
    "set aside",
    "unknown_place": "unknown placement type(s): counted as other",
    "retired_place": "placement type(s) used outside their years: read as their successor",
    "unknown_legal_status": "unknown legal status(es): counted as a care order",
    "unknown_rne": "unknown reason(s) for new episode: read as a new placement (P)",
    "unknown_provider": "unknown placement provider(s): read as none given",
    "blank_provider": "foster or residential placement(s) with no provider: counted as "
    "in-house (PR1)",
    "no_header": "return(s) with no header table: dates of birth only from other returns",
    "no_dob": "child(ren) with no valid date of birth in any return: episodes set aside",
    "dob_after_start": "child(ren) born after an episode starts: episodes set aside",
    "adult_at_start": "period(s) of care begun at 18 or over (DfE's rule 352): not counted "
    "as children in care; check the dates of birth",
    "dob_revised": "date(s) of birth that differ between returns: the latest return's used",
    "child_id_form": "row(s) whose CHILD is written differently in other tables (leading "
    "zeros lost, 123.0 for 123, 100,211 or 100.211 for 100211): read as the same child",
    "child_id_enotation": "row(s) whose CHILD Excel wrote in scientific notation with every "
    "digit kept (1.00211E+05): read as the whole number (100211)",
    "child_id_changed": "child(ren) under a new CHILD identifier in a later return, found by "
    "date of birth and episode start: read as the same child",
    "duplicate_child": "child(ren) listed twice in one header: the later row used",
    "empty_return": "return(s) with no episodes though children were in care when the year "
    "began: read as no return for that year",
    "missing_column": "table(s) missing a column the forecast needs: set aside",
    "not_an_id": "row(s) whose CHILD cannot be an ID (a name or N/A typed there?): set aside",
    "uasc_dob_differs": "date(s) of birth in a uasc table that differ from the header's: "
    "the header's used",
    "excel_rounded": "table(s) or row(s) whose CHILD of 16 digits or more Excel kept 15 of "
    "(1234567890123450000, the other digits lost): set aside",
    "excel_scientific": "table(s) or row(s) whose CHILD Excel saved in scientific notation "
    "(1.23457E+11, the other digits lost): set aside",
    # the 903 reader's and validate's other findings
    "month_first_doubt": "table(s) with a few dates that can only be month first: the "
    "others read day first, and may be wrong",
    "child_not_in_header": "episode(s) of a child with no row in that year's header",
    "two_row_header": "table(s) whose header goes on into a second row (a name merged across "
    "columns): that row read as data",
    "excel_error": "cell(s) holding Excel's error value (#N/A, #REF!...), not a value: read blank",
    "excel_uncalculated": "cell(s) holding a formula Excel saved no value for: read blank",
    "invalid_value": "value(s) that cannot be read as their column's kind (a code, a date, a "
    "figure)",
    "maybe_total": "row(s) below the last record holding only numbers (a totals row without "
    "its label?): set aside",
    "not_a_record": "row(s) below the records that are not a record (a note, a total): set aside",
    "close_column": "column(s) whose name is close to a known column's: not read",
    "unknown_column": "column(s) no such file has: not read",
    "duplicate_column": "column(s) that are another name for a column already present: not read",
    "column_twice": "column(s) named twice in one table, the copies agreeing: read as one",
    "no_known_columns": "table(s) with none of the expected columns (the header row left out?)",
    "duplicate_id": "identifier(s) on more than one row",
    "duplicate_upn": "unique pupil number(s) given to more than one child",
    "invalid_upn": "unique pupil number(s) that are not one (their check letter or form)",
    "several_councils": "table(s) holding several councils' returns in their LA column",
    "unknown_table": "file(s) that are not a 903 table: not read",
    "no_child_column": "table(s) without a CHILD column: not read",
    "missing_table": "903 table(s) needed and not found",
    "no_files": "folder(s) with no files to read",
    "bad_zip": "zip file(s), or files in one, not read (password-protected, unreadable, "
    "too large, or leading outside the zip)",
    "malformed_file": "file(s) that could not be read (not well-formed, or not the format "
    "their name says)",
    # the placements register's, referrals' and decisions' findings
    "adult": "child(ren) 18 or over on the run date",
    "future_dob": "date(s) of birth after the run date",
    "lone_sibling": "sibling group(s) of one child",
    "sibling_count": "referral(s) whose number of siblings to place with differs from their "
    "sibling group's",
    "siblings_across_councils": "sibling group(s) whose referrals name different councils",
    "no_responsible_la": "referral(s) with no responsible council, and none set in "
    "[general] responsible_la",
    "responsible_la_assumed": "referral(s) with no responsible council, read as [general] "
    "responsible_la's while others name other councils",
    "safety_column_absent": "file(s) without a safety column: every child read as having "
    "none of its needs",
    "decimal_id": "child ID(s) written as a spreadsheet writes a number (101434.0, "
    "1.00211E+05): kept as written",
    "suitability_column_unread": "column(s) that may give a suitability under another "
    "name: every child read as suitable for that setting",
    "free_text_risk": "referral(s) with risks said in words the matcher cannot read",
    "pets_harm_animals": "referral(s) of a child who is a risk to animals and wants pets",
    "pets_unknown": "home(s) that do not say whether they have pets",
    "blank_read": "column(s) left blank on some rows that matching reads the permissive way "
    "(a home's sex as any, a child's alongside as no_preference)",
    "none_words": "column(s) saying none in words (N/A, Nil): read as blank, none",
    "no_risk_words": "risks column(s) saying no risk in words (None, N/A, No known risk): "
    "read as no known risk",
    "risks_not_known": "referral(s) whose risks are said to be not known: set aside",
    "pets_words": "pets column(s) answered in words (N, No pets; Y under the standard's "
    "question): read as no, or as can",
    "pets_ambiguous": "referral(s) whose pets answer Y does not say can or must: set aside",
    # the 903 headings (headings903.py) and encodings (utf16.py)
    "heading_alias": "table(s) headed by DfE's names for the fields (Date episode "
    "commenced): read as the fields named",
    "heading_beside": "column(s) naming a 903 field in words beside its code: the code read",
    "heading_lookalike": "table(s) not read: a heading close to a 903 field's name, not one "
    "this tool reads",
    "heading_twice": "table(s) not read: one 903 field given by two headings",
    "utf16_no_bom": "file(s) in UTF-16 without its byte-order mark: read as UTF-16",
    "no_risk_exclusions": "register(s) without a risk_exclusions column: every home read as "
    "able to take a child with any risk",
    "no_current_children": "register(s) without a current_children column: every home read "
    "as having no child living there",
    "current_not_given": "register(s) with current_children blank on some rows: read as at "
    "least one child there",
    "group_spelling": "sibling group code(s) written in another case or spacing: read as one group",
    "money_multiplier": "figure(s) written with k or m (£74m): read as pounds",
    "age_range": "row(s) whose age_min is above their age_max",
    "supported_age": "supported accommodation row(s) for children under 16",
    "out_of_range": "figure(s) too large for what their column holds",
    "zero_cost": "weekly cost(s) of zero",
    "cheap_for_kind": "weekly cost(s) under a fifth of what such a home usually costs (a "
    "day's fee?)",
    "council_not_known": "home(s) whose council code is not a known council's",
    "unknown_postcode": "postcode(s) not in the postcode directory: distance unknown",
    "unlocatable": "placement(s) that cannot be located: not proposed",
    "same_home": "home(s) on several rows of the register (the same Ofsted URN and "
    "postcode, or home_id): read as one home",
    "maybe_same_home": "rows of the register that may be one home",
    "home_id_differs": "home(s) whose rows with one home_id give different postcodes or "
    "settings: read as one home",
    "maybe_same_child": "referrals that may be the same child under two IDs (or twins)",
    "duplicate_decision": "decision(s) given twice for the same child and placement",
    "ages_not_all_given": "home(s) giving fewer current_ages than current children: ages "
    "read as not known",
    "home_row_set_aside": "row(s) of the register of a home another of whose rows is set "
    "aside: not proposed",
    "sibling_set_aside": "sibling(s) set aside for errors while the rest of their group is matched",
}
