/**
 * Prints `N passed, N failed` alone on the last line: the summary CI reads (the default
 * reporter's progress line is not one). A test file that fails without
 * reporting a failed test (a syntax error, a failed import) counts as one failure, so a broken
 * file can never read as "0 failed".
 */
export function summaryLineReporter() {
  return {
    stop({ sessions }) {
      let passed = 0;
      let failed = 0;
      const count = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) continue;
          if (test.passed) passed++;
          else failed++;
        }
        suite.suites.forEach(count);
      };
      for (const session of sessions) {
        const before = failed;
        if (session.testResults) count(session.testResults);
        if (!session.passed && failed === before) failed++;
      }
      // At exit, after the default reporter's last redraw, so the line really is the last one.
      process.once('exit', () => process.stdout.write(`\n${passed} passed, ${failed} failed\n`));
    },
  };
}
