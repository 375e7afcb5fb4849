"""Adds up jest's JSON results and pytest's JUnit XML into the one closing line CI reads."""

import json
import sys
import xml.etree.ElementTree as ET

jest_file, pytest_file = sys.argv[1], sys.argv[2]

with open(jest_file, encoding="utf-8") as f:
    jest = json.load(f)
suite = ET.parse(pytest_file).getroot()
suite = suite if suite.tag == "testsuite" else suite.find("testsuite")

py_total = int(suite.get("tests", 0))
py_failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
py_skipped = int(suite.get("skipped", 0))

passed = jest["numPassedTests"] + py_total - py_failed - py_skipped
failed = jest["numFailedTests"] + py_failed + (0 if jest["numRuntimeErrorTestSuites"] == 0 else 1)
skipped = jest["numPendingTests"] + jest["numTodoTests"] + py_skipped

print(
    f"\njest: {jest['numPassedTests']} passed, {jest['numFailedTests']} failed; "
    f"pytest: {py_total - py_failed - py_skipped} passed, {py_failed} failed"
)
print(f"tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
