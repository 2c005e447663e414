// Lambda managed runtimes and their deprecation dates (phase 1: no more security patches, no technical support).
// There is no API for these dates: the table follows the "Supported runtimes" and "Deprecated runtimes" tables of
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html and must be updated when AWS changes them.
// Dates of runtimes still supported are AWS's projections and move: python3.10 and python3.11 were listed for
// 2026-06-30 earlier and later for 2026-10-31 and 2027-06-30. The other Amazon Linux 2 runtimes (java8.al2, java11,
// java17, provided.al2) still carry 2026-06-30 here and are the first rows to re-check. The AL2023 builds of old
// Java versions (java8.al2023, java11.al2023, java17.al2023) are not listed: a runtime missing from the table is
// reported as NOT_ASSESSED, never guessed.

/** When this table was last checked against the AWS page. */
export const RUNTIME_TABLE_DATE = '2026-07-25';

/** Runtime identifier → deprecation date (YYYY-MM-DD, UTC). */
export const RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  // Node.js
  'nodejs24.x': '2028-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs20.x': '2026-04-30',
  'nodejs18.x': '2025-09-01',
  'nodejs16.x': '2024-06-12',
  'nodejs14.x': '2023-12-04',
  'nodejs12.x': '2023-03-31',
  'nodejs10.x': '2021-07-30',
  'nodejs8.10': '2020-03-06',
  'nodejs6.10': '2019-08-12',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2020-03-05',
  nodejs: '2016-10-31',
  // Python
  'python3.14': '2029-06-30',
  'python3.13': '2029-06-30',
  'python3.12': '2028-10-31',
  'python3.11': '2027-06-30',
  'python3.10': '2026-10-31',
  'python3.9': '2025-12-15',
  'python3.8': '2024-10-14',
  'python3.7': '2023-12-04',
  'python3.6': '2022-07-18',
  'python2.7': '2021-07-15',
  // Java
  java25: '2029-06-30',
  java21: '2029-06-30',
  java17: '2026-06-30',
  java11: '2026-06-30',
  'java8.al2': '2026-06-30',
  java8: '2024-01-08',
  // .NET
  dotnet10: '2028-11-14',
  dotnet8: '2026-11-10',
  dotnet7: '2024-05-14',
  dotnet6: '2024-12-20',
  'dotnet5.0': '2022-05-10',
  'dotnetcore3.1': '2023-04-03',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore1.0': '2019-07-27',
  // Ruby
  'ruby3.4': '2028-03-31',
  'ruby3.3': '2027-03-31',
  'ruby3.2': '2026-03-31',
  'ruby2.7': '2023-12-07',
  'ruby2.5': '2021-07-30',
  // OS-only and Go
  'provided.al2023': '2029-06-30',
  'provided.al2': '2026-06-30',
  provided: '2024-01-08',
  'go1.x': '2024-01-08',
};

/** The deprecation date of a runtime as a Date (midnight UTC), or undefined when the runtime is not in the table. */
export function deprecationDate(runtime: string): Date | undefined {
  const d = RUNTIME_DEPRECATION[runtime];
  return d === undefined ? undefined : new Date(`${d}T00:00:00Z`);
}
