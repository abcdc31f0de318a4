"""``scripts/request_journey.py``: one request from the portal to its disbursements, through the
pages, with the files of core and plugins whose code ran on the way (issue 11's closing figure)."""

from __future__ import annotations

from scripts.request_journey import package_of, run_journey


def test_one_request_goes_from_the_portal_to_two_disbursements_through_the_workflow(tmp_path):
    journey = run_journey((), tmp_path)

    assert journey.state == "disbursed" and journey.disbursements == [100000, 200000]
    assert "core/requests/workflow.py" in journey.files
    assert "core/portal/views.py" in journey.files and "core/aid/services.py" in journey.files
    assert not [path for path in journey.files if path.startswith(("core/testing/", "plugins/"))]
    assert set(journey.by_package) == {package_of(path) for path in journey.files}


def test_files_are_grouped_by_their_package():
    assert package_of("core/forms.py") == "core"
    assert package_of("core/requests/workflow.py") == "core/requests"
    assert package_of("plugins/makkah_aid/services/assessment.py") == "plugins/makkah_aid"
