"""The demo's answers agree with the case they are about (what the screenshots show)."""


def test_demo_answers_agree_with_their_case(store):
    from casereader.store import answers, cases, documents

    checked = 0
    for case in cases.list_cases(store):
        saved = answers.answers_for(store, case.case_ref)
        if "case_details.age_band" not in saved:
            continue
        checked += 1
        assert saved["case_details.age_band"].value == "age_" + case.age_band.replace("-", "_")
        dates = sorted(d.doc_date for d in documents.timeline(store, case.case_ref) if d.doc_date)
        assert saved["case_details.review_from"].value == dates[0][:7]
        assert saved["case_details.review_to"].value == dates[-1][:7]
    assert checked >= 2
