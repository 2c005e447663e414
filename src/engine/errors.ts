/** Bad usage or configuration: one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Nothing could be assessed (no credentials, every region failed): exit 3. */
export class NothingAssessedError extends Error {
  override name = 'NothingAssessedError';
}
