/** Bad usage or configuration: one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Nothing could be assessed (no credentials, every region failed): exit 3. */
export class NothingAssessedError extends Error {
  override name = 'NothingAssessedError';
  /**
   * The run's report when the scan ran and nothing came back assessed (every region failed): written like any other
   * report, with all its errors, before the exit 3. The history is not touched. Absent when no scan started.
   */
  report?: unknown;
  constructor(message: string, report?: unknown) {
    super(message);
    if (report !== undefined) this.report = report;
  }
}
